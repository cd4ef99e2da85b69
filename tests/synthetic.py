"""Large plans for tests and benchmarks, as dense as the real one.

`synthetic_plan(480)` builds a plan of 480 key tasks whose rows reuse, in turn, the
text of the 25 Stockton rows (fixtures/stockton_2017_neglect.json): the same lengths
of key task, success measures, leads, action to date and future actions, so a large
plan lays out like a real one. Each description ends with its own number, so a test
can look for every task. Rows are written with bulk_create: a few queries per table.
"""

import json
from datetime import date, timedelta
from itertools import cycle
from pathlib import Path

from actionplans.models import ActionEntry, ActionPlan, FutureAction, KeyTask, Lead, PlanSection
from inspections.models import Agency, Area, Finding, Inspection

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stockton_2017_neglect.json"
RAGS = ["", "red", "amber", "green", "amber"]


def stockton_rows():
    """The 25 Stockton rows as plain dicts: the text a synthetic row copies."""
    objects = json.loads(FIXTURE.read_text())
    by_model: dict[str, list] = {}
    for obj in objects:
        by_model.setdefault(obj["model"], []).append(obj)
    rows = {
        obj["pk"]: {**obj["fields"], "leads": [], "done": [], "future": []}
        for obj in by_model["actionplans.keytask"]
    }
    for obj in by_model["actionplans.lead"]:
        rows[obj["fields"]["task"]]["leads"].append(obj["fields"]["name"])
    for obj in by_model["actionplans.actionentry"]:
        rows[obj["fields"]["task"]]["done"].append(obj["fields"]["text"])
    for obj in by_model["actionplans.futureaction"]:
        fields = obj["fields"]
        rows[fields["task"]]["future"].append((fields["text"], fields["target_date"]))
    findings = [obj["fields"]["text"] for obj in by_model["inspections.finding"]]
    return list(rows.values()), findings


LIGHT_ROW = {
    "description": "A short key task",
    "success_measures": "A measure",
    "leads": ["A lead"],
    "done": ["Something done"],
    "future": [("Something to do", "2018-06-30")],
}


def synthetic_plan(
    task_count: int, *, sections: int = 5, name: str | None = None, dense: bool = True
) -> ActionPlan:
    """A plan of `task_count` tasks in `sections` sections, with findings and an introduction.

    `dense=False` gives every row one short line per column instead of Stockton's text:
    many more rows a page, for tests about pagination that need not pay for density.
    """
    rows, finding_texts = stockton_rows()
    if not dense:
        rows = [LIGHT_ROW]
    name = name or f"Synthetic {task_count}"
    agency, _ = Agency.objects.get_or_create(
        name=f"{name} Council", defaults={"kind": Agency.Kind.COUNCIL}
    )
    area = Area.objects.create(name=name, partnership_name=f"{name} Safeguarding Partnership")
    area.agencies.add(agency)
    inspection = Inspection.objects.create(
        area=area,
        theme="neglect",
        fieldwork_start=date(2017, 11, 20),
        fieldwork_end=date(2017, 11, 24),
        letter_published=date(2018, 1, 15),
        report_received=date(2018, 1, 15),
    )
    findings = Finding.objects.bulk_create(
        Finding(
            inspection=inspection,
            kind=Finding.Kind.IMPROVEMENT,
            position=i + 1,
            text=text,
        )
        for i, text in enumerate(finding_texts[: max(10, task_count // 8)])
    )
    plan = ActionPlan.objects.create(
        inspection=inspection,
        title=f"{name} Post Inspection Action Plan",
        version_label="Synthetic",
        running_heading=f"Joint Targeted Area Inspection – {name} – recommendations and actions",
    )
    plan.introduction.create(number=1, heading="Introduction", text="A synthetic plan.")
    section_objs = PlanSection.objects.bulk_create(
        PlanSection(plan=plan, position=i + 1, title=f"Actions for synthetic group {i + 1}")
        for i in range(sections)
    )
    tasks, source = [], cycle(rows)
    for number in range(task_count):
        row = next(source)
        section = section_objs[number * sections // task_count]
        tasks.append(
            KeyTask(
                section=section,
                position=number + 1,
                description=f"{row['description']} (synthetic task {number + 1})",
                success_measures=row["success_measures"],
                rag=RAGS[number % len(RAGS)],
            )
        )
    tasks = KeyTask.objects.bulk_create(tasks)
    leads, entries, future, links = [], [], [], []
    through = KeyTask.findings.through
    for number, task in enumerate(tasks):
        row = rows[number % len(rows)]
        leads += [Lead(task=task, position=i + 1, name=n) for i, n in enumerate(row["leads"])]
        entries += [
            ActionEntry(task=task, position=i + 1, text=t, added_on=date(2018, 4, 18))
            for i, t in enumerate(row["done"])
        ]
        future += [
            FutureAction(
                task=task,
                position=i + 1,
                text=t,
                target_date=date.fromisoformat(d) if d else date(2018, 6, 30) + timedelta(i),
            )
            for i, (t, d) in enumerate(row["future"])
        ]
        links.append(through(keytask=task, finding=findings[number % len(findings)]))
    Lead.objects.bulk_create(leads)
    ActionEntry.objects.bulk_create(entries)
    FutureAction.objects.bulk_create(future)
    through.objects.bulk_create(links)
    return plan
