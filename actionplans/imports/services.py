"""Writing a parsed plan: the whole plan or nothing, in a fixed number of queries."""

from django.db import transaction

from inspections import clock

from ..editing.services import record_change
from ..exports.prerender import note_plan_changed
from ..models import (
    ActionEntry,
    ActionPlan,
    FutureAction,
    IntroParagraph,
    KeyTask,
    Lead,
    PlanChange,
    PlanSection,
)
from .docx import parse_plan
from .leads import agency_aliases
from .parsed import ParsedPlan


def read_plan(data: bytes, inspection) -> ParsedPlan:
    """Read a .docx for `inspection`: leads are matched to its area's agencies and
    reference columns to its findings. Raises files.ImportRefused when it cannot."""
    return parse_plan(
        data,
        agencies=list(inspection.area.agencies.all()),
        findings=list(inspection.findings.all()),
        aliases=agency_aliases(inspection.area),
    )


def import_plan(*, parsed: ParsedPlan, inspection, user, today=None) -> ActionPlan:
    """Create the plan `parsed` describes for `inspection`, in one transaction.

    Action-to-date entries are recorded as added today by the plan manager who imported
    them: the document does not say who wrote them or when. The plan's status is the one
    the document states (an export writes it), else draft. A document that rates with
    blue (in its key or its cells) gives a plan that uses the fourth colour.
    """
    today = today or clock.today()
    added_by = user if user is not None and user.is_authenticated else None
    labels = {f"rag_{colour}_label": label for colour, label in parsed.rag_labels.items()}
    if parsed.rag_unrated_label:
        labels["rag_unrated_label"] = parsed.rag_unrated_label
    labels["rag_blue_enabled"] = parsed.uses_blue
    with transaction.atomic():
        plan = ActionPlan.objects.create(
            inspection=inspection,
            title=parsed.title,
            version_label=parsed.version_label,
            running_heading=parsed.running_heading,
            status=parsed.status or ActionPlan.Status.DRAFT,
            **labels,
        )
        note_plan_changed(plan.pk)  # the rows below are written in bulk: no post_save
        IntroParagraph.objects.bulk_create(
            IntroParagraph(plan=plan, number=p.number, heading=p.heading, text=p.text)
            for p in parsed.introduction
        )
        sections = PlanSection.objects.bulk_create(
            PlanSection(
                plan=plan,
                position=position,
                title=section.title,
                whole_partnership=section.whole_partnership,
            )
            for position, section in enumerate(parsed.sections, start=1)
        )
        PlanSection.agencies.through.objects.bulk_create(
            PlanSection.agencies.through(plansection_id=section.pk, agency_id=agency_id)
            for section, parsed_section in zip(sections, parsed.sections, strict=True)
            for agency_id in parsed_section.agency_ids
        )
        pairs = [
            (section, position, task)
            for section, parsed_section in zip(sections, parsed.sections, strict=True)
            for position, task in enumerate(parsed_section.tasks, start=1)
        ]
        tasks = KeyTask.objects.bulk_create(
            KeyTask(
                section=section,
                position=position,
                description=task.description,
                success_measures="\n".join(task.success_measures),
                rag=task.rag,
            )
            for section, position, task in pairs
        )
        parsed_tasks = [task for _, _, task in pairs]
        _write_task_parts(tasks, parsed_tasks, today=today, added_by=added_by)
        # The plan's history starts with where it came from.
        plan.version = 0
        record_change(
            plan,
            added_by,
            PlanChange.Action.CREATED,
            subject=plan.title,
            changes={"from": "word", "sections": len(sections), "key_tasks": len(tasks)},
        )
    return plan


def _write_task_parts(tasks, parsed_tasks, *, today, added_by) -> None:
    KeyTask.findings.through.objects.bulk_create(
        KeyTask.findings.through(keytask_id=task.pk, finding_id=finding_id)
        for task, parsed in zip(tasks, parsed_tasks, strict=True)
        for finding_id in dict.fromkeys(parsed.finding_ids)
    )
    lead_pairs = [
        (Lead(task=task, position=position, name=lead.name, all_partners=lead.all_partners), lead)
        for task, parsed in zip(tasks, parsed_tasks, strict=True)
        for position, lead in enumerate(parsed.leads, start=1)
    ]
    leads = Lead.objects.bulk_create(lead for lead, _ in lead_pairs)
    Lead.agencies.through.objects.bulk_create(
        Lead.agencies.through(lead_id=lead.pk, agency_id=agency_id)
        for lead, (_, parsed) in zip(leads, lead_pairs, strict=True)
        for agency_id in dict.fromkeys(parsed.agency_ids)
    )
    ActionEntry.objects.bulk_create(
        ActionEntry(task=task, position=position, text=text, added_on=today, added_by=added_by)
        for task, parsed in zip(tasks, parsed_tasks, strict=True)
        for position, text in enumerate(parsed.action_to_date, start=1)
    )
    FutureAction.objects.bulk_create(
        FutureAction(task=task, position=position, text=action.text, target_date=action.target_date)
        for task, parsed in zip(tasks, parsed_tasks, strict=True)
        for position, action in enumerate(parsed.future_actions, start=1)
    )
