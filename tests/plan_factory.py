"""A generated plan of any size, for round trips and query counts.

Deterministic (seeded), with what real plans have: several sections, multi-paragraph
key tasks, line breaks inside entries, several leads, future actions whose dates are in
their text, not in their text, or not set, closed future actions, every RAG value and
the plan's own RAG labels.
"""

import random
from datetime import date, timedelta

from actionplans.models import (
    ActionEntry,
    ActionPlan,
    FutureAction,
    IntroParagraph,
    KeyTask,
    Lead,
    PlanSection,
)

WORDS = [
    "review",
    "audit",
    "training",
    "supervision",
    "neglect",
    "chronology",
    "referral",
    "threshold",
    "hub",
    "assessment",
    "conference",
    "partnership",
    "capacity",
    "flags",
    "information",
    "sharing",
    "practice",
    "guidance",
    "quality",
    "plan",
    "children",
    "families",
    "health",
    "police",
    "council",
    "probation",
    "school",
]


def _sentence(rng, low=4, high=14) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize()


def make_generated_plan(inspection, *, tasks=100, sections=6, seed=6) -> ActionPlan:
    rng = random.Random(seed)
    plan = ActionPlan.objects.create(
        inspection=inspection,
        title=f"Generated plan of {tasks} key tasks",
        version_label="Version 7, board copy",
        running_heading="Generated area – recommendations and actions",
        rag_red_label="Off track",
        rag_amber_label="Progressing",
        rag_green_label="Done",
        rag_unrated_label="Not started",
    )
    for number in range(1, 4):
        IntroParagraph.objects.create(
            plan=plan,
            number=number,
            heading={1: "Introduction", 2: "Why"}.get(number, ""),
            text=_sentence(rng, 20, 40),
        )
    agencies = list(inspection.area.agencies.all())
    plan_sections = [
        PlanSection.objects.create(
            plan=plan,
            position=position,
            title="Actions across the whole partnership"
            if position == 1
            else f"Actions for {agencies[position % len(agencies)].name}",
            whole_partnership=position == 1,
        )
        for position in range(1, sections + 1)
    ]
    start = date(2018, 5, 1)
    for index in range(tasks):
        section = plan_sections[index % sections]
        paragraphs = [_sentence(rng) for _ in range(rng.choice([1, 1, 2]))]
        if rng.random() < 0.2:
            paragraphs[0] += "\n" + _sentence(rng)
        task = KeyTask.objects.create(
            section=section,
            position=index // sections + 1,
            description="\n\n".join(paragraphs),
            success_measures="\n".join(_sentence(rng) for _ in range(rng.randint(0, 3))),
            rag=rng.choice(["", "red", "amber", "green"]),
        )
        for position in range(1, rng.randint(1, 3) + 1):
            agency = rng.choice(agencies)
            name = rng.choice([agency.short_name or agency.name, f"Head of service, {agency.name}"])
            Lead.objects.create(task=task, position=position, name=name)
        for position in range(1, rng.randint(0, 4) + 1):
            text = _sentence(rng)
            if rng.random() < 0.2:
                text += "\n" + _sentence(rng)
            ActionEntry.objects.create(task=task, position=position, text=text, added_on=start)
        for position in range(1, rng.randint(0, 4) + 1):
            target = start + timedelta(days=rng.randint(0, 400))
            kind = rng.choice(["in text", "not in text", "none", "closed"])
            text = _sentence(rng)
            if kind == "in text":
                text += f" by {target:%d/%m/%y}"
            FutureAction.objects.create(
                task=task,
                position=position,
                text=text,
                target_date=None if kind == "none" else target,
                status=FutureAction.Status.DONE if kind == "closed" else FutureAction.Status.OPEN,
            )
    return plan
