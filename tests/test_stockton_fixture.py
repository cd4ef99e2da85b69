"""The demo fixture is the Stockton seed plan, faithfully: every section, task and cell."""

import re
from datetime import date
from pathlib import Path

import pytest

from actionplans.models import KeyTask
from inspections.models import Finding

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_0dcf96a02406506c.txt"
HEADER = "Key tasks\tHow will we know?"


def normalise(text: str) -> str:
    text = re.sub(r"</?p>", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def seed_tables():
    """Read the seed's tables on their own: [(section title, [six cells per task])].

    A row whose first cell is empty continues the task above across a page break.
    """
    sections = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if "\t" not in line or line.startswith(HEADER) or line.startswith("-"):
            continue
        cells = line.split("\t")
        if len(cells) < 6:
            continue
        if cells[0].startswith("Actions ") and not any(c.strip() for c in cells[1:]):
            sections.append((cells[0].strip(), []))
        elif not cells[0].strip():
            previous = sections[-1][1][-1]
            for index, cell in enumerate(cells[:6]):
                if cell.strip():
                    previous[index] = normalise(previous[index] + " " + cell)
        else:
            sections[-1][1].append([normalise(cell) for cell in cells[:6]])
    return sections


pytestmark = pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/seeds beside the repo")


def test_fixture_has_the_five_sections_and_25_tasks_of_the_seed(stockton):
    expected = seed_tables()
    sections = list(stockton.sections.order_by("position"))
    assert [s.title for s in sections] == [title for title, _ in expected]
    assert [s.tasks.count() for s in sections] == [len(rows) for _, rows in expected]
    assert KeyTask.objects.filter(section__plan=stockton).count() == 25


def test_every_cell_of_every_task_matches_the_seed(stockton):
    expected = seed_tables()
    for section, (title, rows) in zip(
        stockton.sections.order_by("position"), expected, strict=True
    ):
        tasks = section.tasks.order_by("position").prefetch_related(
            "leads", "action_to_date", "future_actions"
        )
        for task, cells in zip(tasks, rows, strict=True):
            key_task, measures, leads, done, future, rag = cells
            assert normalise(task.description) == key_task, title
            assert normalise(task.success_measures) == measures
            assert normalise(" ".join(lead.name for lead in task.leads.all())) == leads
            assert normalise(" ".join(e.text for e in task.action_to_date.all())) == done
            assert normalise(" ".join(f.text for f in task.future_actions.all())) == future
            assert rag == "" and task.rag == ""


def test_title_block_introduction_and_rag_key(stockton):
    seed = SEED.read_text(encoding="utf-8")
    assert stockton.version_label == "Final Draft 18/04/18"
    assert stockton.running_heading in seed
    intro = list(stockton.introduction.all())
    assert [p.number for p in intro] == list(range(1, 9))
    for paragraph in intro:
        assert f"{paragraph.number}. {paragraph.text}" in seed
    assert [label for _, label in stockton.rag_key] == ["Behind schedule", "On track", "Completed"]


def test_target_dates_are_read_from_future_actions(stockton):
    crc = KeyTask.objects.get(description="CRC to review risk assessments")
    dates = [f.target_date for f in crc.future_actions.order_by("position")]
    assert dates == [date(2018, 8, 31), date(2018, 6, 30), date(2018, 6, 30)]
    training = KeyTask.objects.get(description__startswith="Training for NPS and CRC")
    assert [f.target_date for f in training.future_actions.order_by("position")] == [
        date(2018, 6, 30),
        date(2018, 12, 31),
    ]


def test_leads_are_tied_to_agencies(stockton):
    police_task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    lead = police_task.leads.get()
    assert lead.name == "D. Supt. PVP"
    assert [a.name for a in lead.agencies.all()] == ["Cleveland Police"]
    everyone = KeyTask.objects.get(description__startswith="Case oversight and supervision")
    assert everyone.leads.get().all_partners


def test_inspection_and_letter_findings(stockton):
    inspection = stockton.inspection
    assert (inspection.fieldwork_start, inspection.fieldwork_end) == (
        date(2017, 11, 20),
        date(2017, 11, 24),
    )
    assert inspection.theme == "neglect"
    assert sorted(i.code for i in inspection.inspectorates.all()) == [
        "CQC",
        "HMICFRS",
        "HMIP",
        "Ofsted",
    ]
    assert inspection.statement_due == date(2018, 4, 18)
    assert inspection.statement_due_is_stated
    strengths = inspection.findings.filter(kind=Finding.Kind.STRENGTH)
    improvements = inspection.findings.filter(kind=Finding.Kind.IMPROVEMENT)
    assert strengths.count() == 34
    assert improvements.count() == 36
    assert improvements.get(position=2).text.startswith(
        "The attendance of children at child protection conferences"
    )
    # Every task that answers a finding answers an area for improvement, not a strength.
    linked = KeyTask.objects.filter(section__plan=stockton, findings__isnull=False).distinct()
    assert linked.count() >= 20
    assert not Finding.objects.filter(kind=Finding.Kind.STRENGTH, tasks__isnull=False).exists()
