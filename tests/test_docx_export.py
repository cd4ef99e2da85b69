"""Export a plan as an editable Word document, and the round trip back through the importer."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from actionplans.editing import services as editing
from actionplans.exports.docx import render_plan_docx
from actionplans.imports.services import import_plan, read_plan
from actionplans.models import FutureAction, KeyTask, Rag
from actionplans.services import TaskChange, record_update

from .plan_factory import make_generated_plan


def snapshot(plan):
    """Everything the round trip must give back, as plain data."""
    sections = []
    for section in plan.sections.order_by("position"):
        tasks = []
        for task in section.tasks.order_by("position"):
            future = task.future_actions.filter(status=FutureAction.Status.OPEN)
            tasks.append(
                (
                    task.description,
                    task.success_measure_list,
                    [lead.name for lead in task.leads.all()],
                    [entry.text for entry in task.action_to_date.all()],
                    [(action.text, action.target_date) for action in future],
                    task.rag,
                )
            )
        sections.append((section.title, section.whole_partnership, tasks))
    return {
        "title": plan.title,
        "version": plan.version_label,
        "running heading": plan.running_heading,
        "labels": [plan.rag_label(rag) for rag in ("red", "amber", "green", "")],
        "introduction": [(p.number, p.heading, p.text) for p in plan.introduction.all()],
        "sections": sections,
    }


def round_trip(plan, user):
    data = render_plan_docx(plan)
    parsed = read_plan(data, plan.inspection)
    return import_plan(parsed=parsed, inspection=plan.inspection, user=user), parsed


def test_stockton_plan_exported_and_imported_comes_back_the_same(stockton, plan_manager):
    # Rate a few tasks so that the RAG makes the trip too.
    for rag, task in zip(["red", "amber", "green"], KeyTask.objects.all()[:3], strict=True):
        task.rag = rag
        task.save()
    imported, parsed = round_trip(stockton, plan_manager)
    assert imported.pk != stockton.pk
    assert snapshot(imported) == snapshot(stockton)
    assert parsed.warnings == []


def test_generated_plan_of_100_tasks_comes_back_the_same(stockton, plan_manager):
    generated = make_generated_plan(stockton.inspection, tasks=100)
    assert KeyTask.objects.filter(section__plan=generated).count() == 100
    imported, parsed = round_trip(generated, plan_manager)
    assert snapshot(imported) == snapshot(generated)
    assert {task.rag for task in parsed.tasks} == {"", "red", "amber", "green"}
    assert any(a.target_date for t in parsed.tasks for a in t.future_actions)


def test_export_is_landscape_with_title_key_and_one_table_per_section(stockton):
    KeyTask.objects.filter(description__startswith="Review capacity").update(rag=Rag.RED)
    document = Document(io.BytesIO(render_plan_docx(stockton)))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert section.header.paragraphs[0].text == stockton.running_heading

    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == [stockton.title]
    assert any(p.text == "Final Draft 18/04/18" for p in document.paragraphs)
    assert any(p.text.startswith("1. This action plan outlines") for p in document.paragraphs)

    key, *tables = document.tables
    assert [cell.text for cell in key.rows[0].cells] == [
        "Behind schedule",
        "On track",
        "Completed",
        "Not yet rated",
    ]
    assert len(tables) == stockton.sections.count()
    for table, plan_section in zip(tables, stockton.sections.all(), strict=True):
        header = table.rows[0]
        assert [cell.text for cell in header.cells] == [
            "Key tasks",
            "How will we know?",
            "Lead(s)",
            "Action to date",
            "Future actions",
            "RAG",
        ]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on every page
        assert table.rows[1].cells[0].text == plan_section.title
        assert len(table.rows) == 2 + plan_section.tasks.count()

    police = tables[2]
    capacity = next(row for row in police.rows if row.cells[0].text.startswith("Review capacity"))
    rag = capacity.cells[5]
    assert rag.text == "Behind schedule"  # the label, not only the colour
    assert rag._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D4351C"
    assert [p.text for p in capacity.cells[4].paragraphs][:2] == [
        "Prioritisation process to fill vacancies",
        "Review of additional temporary resources",
    ]


def test_a_plan_with_the_fourth_colour_exports_blue_in_its_key_and_cells_and_no_withdrawn_task(
    stockton, plan_manager
):
    editing.edit_details(
        plan_id=stockton.pk,
        user=plan_manager,
        expected_version=1,
        details={"rag_blue_enabled": True},
    )
    capacity = KeyTask.objects.get(description__startswith="Review capacity")
    record_update(
        task_id=capacity.pk, user=plan_manager, expected_version=1, change=TaskChange(rag="blue")
    )
    dental = KeyTask.objects.get(description__startswith="Develop more effective links with dental")
    editing.remove_task(task_id=dental.pk, user=plan_manager, expected_version=2, reason="Merged")
    stockton.refresh_from_db()

    document = Document(io.BytesIO(render_plan_docx(stockton)))
    key, *tables = document.tables
    assert [cell.text for cell in key.rows[0].cells] == [
        "Behind schedule",
        "On track",
        "Completed",
        "Completed and embedded",
        "Not yet rated",
    ]
    assert key.rows[0].cells[3]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "1D70B8"
    rows = [row for table in tables for row in table.rows]
    row = next(row for row in rows if row.cells[0].text.startswith("Review capacity"))
    assert row.cells[5].text == "Completed and embedded"
    assert row.cells[5]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "1D70B8"
    assert not any(row.cells[0].text.startswith("Develop more effective links") for row in rows)


def test_export_uses_named_styles_a_user_can_edit(stockton):
    document = Document(io.BytesIO(render_plan_docx(stockton)))
    names = {style.name for style in document.styles}
    assert {
        "Plan version",
        "Plan details",
        "Plan introduction",
        "Plan table heading",
        "Plan section row",
        "Plan table text",
        "Plan table bullet",
        "Plan RAG",
    } <= names
    used = {p.style.name for t in document.tables for c in t._cells for p in c.paragraphs}
    assert {"Plan table text", "Plan table bullet", "Plan RAG", "Plan table heading"} <= used


def test_a_target_date_the_text_does_not_give_is_written_on_its_own_line(stockton):
    action = FutureAction.objects.get(text="CYP Partnership workshop")
    action.target_date = action.task.section.plan.inspection.statement_due
    action.save()
    document = Document(io.BytesIO(render_plan_docx(stockton)))
    texts = [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    assert "CYP Partnership workshop\nTarget date: 18 April 2018" in texts


def test_plan_manager_downloads_the_word_file(client, plan_manager, stockton):
    client.force_login(plan_manager)
    response = client.get(reverse("plan_export_docx", args=[stockton.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert ".docx" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert Document(io.BytesIO(content)).tables


def test_plan_page_shows_export_word_to_plan_managers_only(
    client, plan_manager, board_member, stockton
):
    url = reverse("plan_detail", args=[stockton.pk])
    export = reverse("plan_export_docx", args=[stockton.pk])
    client.force_login(plan_manager)
    assert export in client.get(url).content.decode()
    client.force_login(board_member)
    assert export not in client.get(url).content.decode()


def test_export_runs_a_fixed_number_of_queries_whatever_the_plan_size(
    client, plan_manager, stockton, django_assert_num_queries
):
    client.force_login(plan_manager)
    url = reverse("plan_export_docx", args=[stockton.pk])
    client.get(url)  # warm the session
    generated = make_generated_plan(stockton.inspection, tasks=100)
    with django_assert_num_queries(EXPORT_QUERIES):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(EXPORT_QUERIES):
        assert client.get(reverse("plan_export_docx", args=[generated.pk])).status_code == 200


# session, user, memberships, plan, managed check, introduction, sections, tasks, leads,
# lead agencies, action to date, future actions, findings, section agencies, the area's
# agencies and their other names (for the leads' agencies)
EXPORT_QUERIES = 16


def test_export_plan_command_writes_a_word_file(stockton, tmp_path):
    path = tmp_path / "plan.docx"
    out = io.StringIO()
    call_command("export_plan", stockton.pk, "-o", str(path), "--format", "docx", stdout=out)
    assert Document(str(path)).paragraphs[0].text == stockton.title
    assert "Wrote" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "odt"], "invalid choice: 'odt'"),
        (["--plan", "999999"], "There is no plan with id 999999"),
    ],
)
def test_export_plan_command_fails_clearly(stockton, tmp_path, args, message):
    plan_id = stockton.pk
    if args[0] == "--plan":
        plan_id, args = int(args[1]), []
    with pytest.raises(CommandError, match=message):
        call_command("export_plan", plan_id, "-o", str(tmp_path / "plan.docx"), *args)
