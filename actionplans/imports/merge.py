"""Importing a Word plan into an existing plan: a cell-by-cell diff, then recorded updates.

`diff_plan` compares what the document says with the plan as it stands, section by
section and key task by key task in order (withdrawn tasks are not in the Word copy),
and says what each changed cell was and will be; it writes nothing, so the preview
shows exactly it. `apply_import` makes those changes through the same services as the
app's own pages: structure through `editing.services` (a `PlanChange` per change),
progress through `services.record_update` (a `TaskUpdate` per task, as a lead's save),
all in one transaction with the reason "Imported from Word". History is only ever
added to: an entry of action to date already recorded is never changed or removed.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from ..editing import services as editing
from ..models import ActionPlan, KeyTask, PlanChange
from ..services import TaskChange, record_update
from .parsed import ParsedPlan, ParsedSection, ParsedTask

Status = ActionPlan.Status


@dataclass
class Cell:
    """One changed cell: its column's name and its text before and after."""

    column: str
    before: str
    after: str


@dataclass
class TaskDiff:
    section: str
    number: int  # the task's place in its section
    kind: str  # "added", "changed" or "removed"
    cells: list[Cell] = field(default_factory=list)
    task: KeyTask | None = None
    parsed: ParsedTask | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class SectionDiff:
    number: int
    kind: str  # "added", "changed" or "removed"
    cells: list[Cell] = field(default_factory=list)
    section: object = None
    parsed: ParsedSection | None = None


@dataclass
class PlanDiff:
    details: list[Cell] = field(default_factory=list)
    sections: list[SectionDiff] = field(default_factory=list)
    tasks: list[TaskDiff] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.details or self.sections or self.tasks)

    @property
    def cell_count(self) -> int:
        return (
            len(self.details)
            + sum(len(s.cells) for s in self.sections)
            + sum(len(t.cells) for t in self.tasks)
        )


# -- reading both sides the same way ---------------------------------------------------


def _lines(items) -> str:
    return "\n".join(items)


def _future_text(text: str, target: date | None) -> str:
    return f"{text} (target {target:%-d %B %Y})" if target else text


def _leads_of_task(task: KeyTask) -> list[tuple]:
    return [
        (lead.name, tuple(sorted(a.pk for a in lead.agencies.all())), lead.all_partners)
        for lead in task.leads.all()
    ]


def _leads_of_parsed(task: ParsedTask) -> list[tuple]:
    return [
        (lead.name, tuple(sorted(dict.fromkeys(lead.agency_ids))), lead.all_partners)
        for lead in task.leads
    ]


def _leads_text(leads, names) -> str:
    return _lines(
        name
        + (f" ({', '.join(names.get(pk, '?') for pk in ids)})" if ids else "")
        + (" (all partners)" if all_partners else "")
        for name, ids, all_partners in leads
    )


def _task_cells(task: KeyTask, parsed: ParsedTask, plan, names) -> list[Cell]:
    cells = []

    def compare(column, before, after):
        if before != after:
            cells.append(Cell(column, before, after))

    compare("Key task", task.description, parsed.description)
    compare("How will we know?", _lines(task.success_measure_list), _lines(parsed.success_measures))
    compare(
        "Lead(s)",
        _leads_text(_leads_of_task(task), names),
        _leads_text(_leads_of_parsed(parsed), names),
    )
    compare(
        "Action to date",
        _lines(e.text for e in task.action_to_date.all()),
        _lines(parsed.action_to_date),
    )
    compare(
        "Future actions",
        _lines(_future_text(a.text, a.target_date) for a in task.open_future_actions),
        _lines(_future_text(a.text, a.target_date) for a in parsed.future_actions),
    )
    compare("RAG", plan.rag_label(task.rag), plan.rag_label(parsed.rag))
    if parsed.finding_ids:
        before = sorted(f.reference for f in task.findings.all())
        compare("Findings", ", ".join(before), ", ".join(sorted(parsed.finding_references)))
    return cells


def _new_task_cells(parsed: ParsedTask, plan, names) -> list[Cell]:
    cells = [
        Cell("Key task", "", parsed.description),
        Cell("How will we know?", "", _lines(parsed.success_measures)),
        Cell("Lead(s)", "", _leads_text(_leads_of_parsed(parsed), names)),
        Cell("Action to date", "", _lines(parsed.action_to_date)),
        Cell(
            "Future actions",
            "",
            _lines(_future_text(a.text, a.target_date) for a in parsed.future_actions),
        ),
        Cell("RAG", "", plan.rag_label(parsed.rag) if parsed.rag else ""),
        Cell("Findings", "", ", ".join(sorted(parsed.finding_references))),
    ]
    return [cell for cell in cells if cell.after]


def _section_record(title, whole, agency_ids, names) -> dict:
    return {
        "Section title": title,
        "Whole partnership": "Yes" if whole else "No",
        "Agencies": ", ".join(names.get(pk, "?") for pk in sorted(agency_ids)),
    }


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _plan_labels(plan: ActionPlan) -> dict:
    """The plan's RAG key as the diff names its parts."""
    return {
        "RAG red": plan.rag_red_label,
        "RAG amber": plan.rag_amber_label,
        "RAG green": plan.rag_green_label,
        "Fourth colour (blue)": _yes_no(plan.rag_blue_enabled),
        "RAG blue": plan.rag_blue_label,
        "Not yet rated": plan.rag_unrated_label,
    }


def _labels(parsed: ParsedPlan, plan: ActionPlan) -> dict:
    """The RAG key the plan will have: the document's where it gives one, else the
    plan's. A document rating with blue turns the fourth colour on; one without blue
    leaves it as it is (an import never takes a rating away)."""
    return {
        "RAG red": parsed.rag_labels.get("red", plan.rag_red_label),
        "RAG amber": parsed.rag_labels.get("amber", plan.rag_amber_label),
        "RAG green": parsed.rag_labels.get("green", plan.rag_green_label),
        "Fourth colour (blue)": _yes_no(plan.rag_blue_enabled or parsed.uses_blue),
        "RAG blue": parsed.rag_labels.get("blue", plan.rag_blue_label),
        "Not yet rated": parsed.rag_unrated_label or plan.rag_unrated_label,
    }


def _intro_text(paragraphs) -> str:
    return "\n\n".join(
        (f"{heading}\n" if heading else "") + f"{number}. {text}"
        for number, (heading, text) in enumerate(paragraphs, start=1)
    )


# -- the diff ---------------------------------------------------------------------------


def load_plan(plan_id: int) -> tuple[ActionPlan, list]:
    """The plan and its sections with every task in force, as the diff reads them."""
    plan = ActionPlan.objects.select_related("inspection__area").get(pk=plan_id)
    tasks = KeyTask.objects.for_display().filter(withdrawn_at__isnull=True)
    return plan, list(plan.sections_for_display(tasks))


def diff_plan(plan: ActionPlan, sections, parsed: ParsedPlan) -> PlanDiff:
    """What importing `parsed` into the plan would change, cell by cell (no queries but
    the area's agency names and the introduction)."""
    names = {a.pk: a.short_name or a.name for a in plan.inspection.area.agencies.all()}
    diff = PlanDiff()
    details = {
        "Title": (plan.title, parsed.title),
        "Version label": (plan.version_label, parsed.version_label),
        "Running heading": (plan.running_heading, parsed.running_heading),
    }
    plan_labels = _plan_labels(plan)
    for column, label in _labels(parsed, plan).items():
        details[column] = (plan_labels[column], label)
    details["Introduction"] = (
        _intro_text((p.heading, p.text) for p in plan.introduction.all()),
        _intro_text((p.heading, p.text) for p in parsed.introduction),
    )
    if parsed.status:
        details["Status"] = (
            plan.get_status_display(),
            Status(parsed.status).label,
        )
    diff.details = [
        Cell(c, before, after) for c, (before, after) in details.items() if before != after
    ]

    for number, (section, parsed_section) in enumerate(_pairs(sections, parsed.sections), start=1):
        title = (parsed_section or section).title
        if section is None:
            record = _section_record(
                parsed_section.title,
                parsed_section.whole_partnership,
                parsed_section.agency_ids,
                names,
            )
            diff.sections.append(
                SectionDiff(
                    number,
                    "added",
                    [Cell(k, "", v) for k, v in record.items() if v],
                    parsed=parsed_section,
                )
            )
        elif parsed_section is None:
            diff.sections.append(SectionDiff(number, "removed", section=section))
        else:
            before = _section_record(
                section.title,
                section.whole_partnership,
                [a.pk for a in section.agencies.all()],
                names,
            )
            after = _section_record(
                parsed_section.title,
                parsed_section.whole_partnership,
                # A document's section names no agencies when it could not match them:
                # keep the plan's rather than clear them.
                parsed_section.agency_ids or [a.pk for a in section.agencies.all()],
                names,
            )
            cells = [Cell(k, before[k], after[k]) for k in after if before[k] != after[k]]
            if cells:
                diff.sections.append(
                    SectionDiff(number, "changed", cells, section=section, parsed=parsed_section)
                )
        tasks = list(section.tasks.all()) if section is not None else []
        parsed_tasks = parsed_section.tasks if parsed_section is not None else []
        for task_number, (task, parsed_task) in enumerate(_pairs(tasks, parsed_tasks), start=1):
            if task is None:
                diff.tasks.append(
                    TaskDiff(
                        title,
                        task_number,
                        "added",
                        _new_task_cells(parsed_task, plan, names),
                        parsed=parsed_task,
                    )
                )
            elif parsed_task is None:
                diff.tasks.append(
                    TaskDiff(
                        title,
                        task_number,
                        "removed",
                        [Cell("Key task", task.description, "")],
                        task=task,
                    )
                )
            else:
                cells = _task_cells(task, parsed_task, plan, names)
                if cells:
                    change = TaskDiff(
                        title, task_number, "changed", cells, task=task, parsed=parsed_task
                    )
                    entries = [e.text for e in task.action_to_date.all()]
                    if parsed_task.action_to_date[: len(entries)] != entries:
                        change.notes.append(
                            "Action to date already recorded is the task's history: it is "
                            "kept as it is; only entries the document adds are added."
                        )
                    diff.tasks.append(change)
    return diff


def _pairs(existing, parsed):
    count = max(len(existing), len(parsed))
    return [
        (
            existing[i] if i < len(existing) else None,
            parsed[i] if i < len(parsed) else None,
        )
        for i in range(count)
    ]


# -- applying it ------------------------------------------------------------------------


def _content(parsed: ParsedTask, task: KeyTask | None) -> editing.TaskContent:
    findings = list(dict.fromkeys(parsed.finding_ids))
    if not findings and task is not None:
        findings = [f.pk for f in task.findings.all()]
    return editing.TaskContent(
        description=parsed.description,
        success_measures=_lines(parsed.success_measures),
        leads=[
            editing.LeadSpec(
                name=lead.name,
                agency_ids=list(dict.fromkeys(lead.agency_ids)),
                all_partners=lead.all_partners,
            )
            for lead in parsed.leads
        ],
        finding_ids=findings,
    )


def _progress(task: KeyTask, parsed: ParsedTask, reason: str) -> TaskChange:
    """What a lead's save would be to bring the task's progress to the document's."""
    change = TaskChange(rag=parsed.rag if parsed.rag != task.rag else None, reason=reason)
    recorded = [e.text for e in task.action_to_date.all()]
    new_entries = [text for text in parsed.action_to_date if text not in recorded]
    wanted = [(a.text, a.target_date) for a in parsed.future_actions]
    current = list(task.open_future_actions)
    # The same text is the same future action (its date may have moved).
    unmatched_current, unmatched_wanted = [], []
    remaining = list(wanted)
    for action in current:
        same = next((w for w in remaining if w[0] == action.text), None)
        if same is None:
            unmatched_current.append(action)
        else:
            remaining.remove(same)
            if same[1] != action.target_date:
                change.edited_future_actions[action.pk] = same
    unmatched_wanted = remaining
    for action in unmatched_current:
        if action.text in new_entries:
            # Moved from "Future actions" to "Action to date": done.
            change.completed_future_actions.append(action.pk)
            new_entries.remove(action.text)
        elif unmatched_wanted:
            change.edited_future_actions[action.pk] = unmatched_wanted.pop(0)
        else:
            change.dropped_future_actions[action.pk] = "Not in the Word copy imported"
    change.new_future_actions = unmatched_wanted
    change.new_actions = new_entries
    return change


def _version(plan_id) -> int:
    return ActionPlan.objects.values_list("version", flat=True).get(pk=plan_id)


def apply_import(
    *, plan_id: int, parsed: ParsedPlan, user, expected_version: int, filename: str
) -> int:
    """Make the plan what the document says, as recorded changes; returns how many
    history rows were written. Refused with `StalePlan` when the plan changed since
    the preview was shown."""
    reason = f"Imported from Word ({filename})"
    written = 0
    with transaction.atomic():
        editing.lock_plan(plan_id, expected_version)
        plan, sections = load_plan(plan_id)
        diff = diff_plan(plan, sections, parsed)
        version = expected_version
        if any(c.column != "Status" for c in diff.details):
            labels = _labels(parsed, plan)
            if editing.edit_details(
                plan_id=plan_id,
                user=user,
                expected_version=version,
                details={
                    "title": parsed.title,
                    "version_label": parsed.version_label,
                    "running_heading": parsed.running_heading,
                    "rag_red_label": labels["RAG red"],
                    "rag_amber_label": labels["RAG amber"],
                    "rag_green_label": labels["RAG green"],
                    "rag_blue_enabled": labels["Fourth colour (blue)"] == "Yes",
                    "rag_blue_label": labels["RAG blue"],
                    "rag_unrated_label": labels["Not yet rated"],
                },
                introduction=[(p.heading, p.text) for p in parsed.introduction],
                reason=reason,
            ):
                written += 1
                version += 1
        status = next((c for c in diff.details if c.column == "Status"), None)
        if status is not None:
            locked = editing.lock_plan(plan_id, version)
            before = locked.status
            locked.status = parsed.status
            editing.record_change(
                locked,
                user,
                PlanChange.Action.IMPORTED,
                subject=locked.title,
                reason=reason,
                changes={"status": [before, parsed.status]},
                update_fields=["status"],
            )
            written += 1
            version += 1

        section_ids = [s.pk for s in sections]
        for section_diff in diff.sections:
            if section_diff.kind == "added":
                p = section_diff.parsed
                section = editing.add_section(
                    plan_id=plan_id,
                    user=user,
                    expected_version=version,
                    title=p.title,
                    whole_partnership=p.whole_partnership,
                    agency_ids=p.agency_ids,
                    reason=reason,
                )
                section_ids.append(section.pk)
                written += 1
                version += 1
            elif section_diff.kind == "changed":
                p = section_diff.parsed
                current = section_diff.section
                editing.edit_section(
                    section_id=current.pk,
                    user=user,
                    expected_version=version,
                    title=p.title,
                    whole_partnership=p.whole_partnership,
                    agency_ids=p.agency_ids or [a.pk for a in current.agencies.all()],
                    reason=reason,
                )
                written += 1
                version += 1

        # The document's n-th section is the plan's n-th, then those just added.
        ordered = section_ids
        for task_diff in diff.tasks:
            if task_diff.kind == "removed":
                editing.remove_task(
                    task_id=task_diff.task.pk,
                    user=user,
                    expected_version=version,
                    reason=f"Not in the Word copy imported ({filename})",
                )
                written += 1
                version += 1
                continue
            if task_diff.kind == "added":
                section_index = _section_index(parsed, task_diff.parsed)
                task = editing.add_task(
                    section_id=ordered[section_index],
                    user=user,
                    expected_version=version,
                    content=_content(task_diff.parsed, None),
                    reason=reason,
                )
                written += 1
                version += 1
                task = KeyTask.objects.for_display().get(pk=task.pk)
            else:
                task = task_diff.task
                content = _content(task_diff.parsed, task)
                if editing.edit_task(
                    task_id=task.pk,
                    user=user,
                    expected_version=version,
                    content=content,
                    reason=reason,
                ):
                    written += 1
                    version += 1
            change = _progress(task, task_diff.parsed, reason)
            if not change.is_empty(task):
                current = KeyTask.objects.values_list("version", flat=True).get(pk=task.pk)
                record_update(task_id=task.pk, user=user, expected_version=current, change=change)
                written += 1
        # Sections the document no longer has: removed once nothing is left in them.
        for section_diff in diff.sections:
            if section_diff.kind == "removed" and not section_diff.section.tasks.exists():
                editing.remove_section(
                    section_id=section_diff.section.pk,
                    user=user,
                    expected_version=_version(plan_id),
                    reason=reason,
                )
                written += 1
    return written


def _section_index(parsed: ParsedPlan, task: ParsedTask) -> int:
    for index, section in enumerate(parsed.sections):
        if any(t is task for t in section.tasks):
            return index
    raise ValueError("The task is in none of the document's sections")
