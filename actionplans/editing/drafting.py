"""Start a plan from an inspection: blank, or drafted from the letter's findings.

The draft has a section for the whole partnership and one per agency or group of
agencies the letter names, and one key task per area for improvement or priority
action, linked to its finding, its text the finding's as a starting point to rewrite.
`draft_from_findings` computes it without writing (the preview shows exactly it);
`start_plan` writes it in one transaction with its history row.
"""

from dataclasses import dataclass, field

from django.db import transaction

from inspections import clock
from inspections.models import Finding

from ..models import ActionPlan, KeyTask, Lead, PlanChange, PlanSection
from .services import record_change

WHOLE_PARTNERSHIP = "Actions across the whole partnership"


@dataclass
class DraftTask:
    finding: Finding
    description: str


@dataclass
class DraftSection:
    title: str
    whole_partnership: bool = False
    agencies: list = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)


def default_title(inspection) -> str:
    theme = f" {inspection.theme.title()}" if inspection.theme else ""
    kind = "Joint Targeted Area" if inspection.kind == "jtai" else inspection.short_kind
    return (
        f"{kind}{theme} Inspection - Post Inspection Action Plan {inspection.letter_published:%Y}"
    )


def draft_from_findings(inspection) -> list[DraftSection]:
    """The sections and key tasks a draft would have, in the letter's order (2 queries)."""
    findings = (
        inspection.findings.exclude(kind=Finding.Kind.STRENGTH)
        .prefetch_related("agencies")
        .order_by("kind", "position")
    )
    # Priority actions first: they are the most urgent.
    findings = sorted(findings, key=lambda f: (f.kind != Finding.Kind.PRIORITY, f.position))
    whole = DraftSection(title=WHOLE_PARTNERSHIP, whole_partnership=True)
    by_agencies: dict[tuple[int, ...], DraftSection] = {}
    for finding in findings:
        agencies = sorted(finding.agencies.all(), key=lambda a: a.name)
        task = DraftTask(finding=finding, description=finding.text)
        if not agencies:
            whole.tasks.append(task)
            continue
        key = tuple(agency.pk for agency in agencies)
        if key not in by_agencies:
            names = " and ".join(agency.name for agency in agencies)
            by_agencies[key] = DraftSection(title=f"Actions for {names}", agencies=agencies)
        by_agencies[key].tasks.append(task)
    return [whole, *by_agencies.values()]


def start_plan(*, inspection, user, title: str, from_findings: bool) -> ActionPlan:
    """Create a draft plan for the inspection, blank or drafted from its findings."""
    sections = draft_from_findings(inspection) if from_findings else []
    with transaction.atomic():
        plan = ActionPlan.objects.create(
            inspection=inspection,
            title=title,
            running_heading=f"{inspection} - recommendations and actions",
        )
        task_count = 0
        for position, draft in enumerate(sections, start=1):
            section = PlanSection.objects.create(
                plan=plan,
                position=position,
                title=draft.title,
                whole_partnership=draft.whole_partnership,
            )
            section.agencies.set(draft.agencies)
            for task_position, draft_task in enumerate(draft.tasks, start=1):
                task = KeyTask.objects.create(
                    section=section, position=task_position, description=draft_task.description
                )
                task.findings.add(draft_task.finding)
                if draft.agencies:
                    lead = Lead.objects.create(
                        task=task, name=", ".join(a.short_name or a.name for a in draft.agencies)
                    )
                    lead.agencies.set(draft.agencies)
                task_count += 1
        plan.version = 0  # record_change makes the new plan's first version 1
        record_change(
            plan,
            user,
            PlanChange.Action.CREATED,
            subject=title,
            changes={
                "from": "findings" if from_findings else "blank",
                "sections": len(sections),
                "key_tasks": task_count,
            },
            at=clock.now(),
        )
    return plan
