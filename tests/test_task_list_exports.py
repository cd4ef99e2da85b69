"""The board's exports carry every column of the plan: in Excel (read back with
openpyxl) real dates, column widths, a frozen and filtered header row; file names are
the plan's short name, whole."""

import io
from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actionplans.models import ActionEntry, FutureAction, KeyTask, Rag
from actionplans.services import TaskChange, record_update

PLAN_COLUMNS = [
    "Section",
    "Key task",
    "How will we know?",
    "Lead(s)",
    "Action to date",
    "Future actions",
    "RAG",
]


@pytest.fixture
def updated(stockton, police_lead, settings):
    settings.DEMO_DATE = date(2018, 6, 25)
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=task.version,
        change=TaskChange(
            rag=Rag.AMBER,
            reason="Recruitment under way",
            new_actions=["Two sergeants appointed"],
            new_future_actions=[("Audit PVP caseloads", date(2018, 9, 30))],
        ),
        at=timezone.make_aware(datetime.combine(date(2018, 6, 20), time(11))),
    )
    return task


def test_excel_holds_every_plan_column_with_real_dates_and_a_filter(
    client, board_member, stockton, updated
):
    client.force_login(board_member)
    response = client.get(reverse("task_list_xlsx", args=[stockton.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="stockton-on-tees-jtai-2017-key-tasks-2018-06-25.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert set(PLAN_COLUMNS) <= set(header)
    for name in (
        "Last change",
        "Last changed by",
        "Reason for the last change",
        "Next target date",
    ):
        assert name in header
    assert sheet.max_row == 1 + KeyTask.objects.filter(section__plan=stockton).count()

    # The header row is frozen and filtered; long text columns are wide.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{sheet.max_row}"
    column = {name: sheet.cell(1, i + 1).column_letter for i, name in enumerate(header)}
    assert sheet.column_dimensions[column["Action to date"]].width == 60
    assert sheet.column_dimensions[column["RAG"]].width >= 5

    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    row = next(r for r in rows if r["Key task"].startswith("Review capacity in the PVP"))
    # Every entry of the plan's columns, as the plan has them.
    for entry in ActionEntry.objects.filter(task=updated):
        assert f"{entry.added_on:%d/%m/%Y}: {entry.text}" in row["Action to date"]
    for action in FutureAction.objects.filter(task=updated, status="open"):
        assert action.text in row["Future actions"]
    assert "Audit PVP caseloads (target 30/09/2018)" in row["Future actions"]
    assert row["RAG"] == "On track"
    assert row["Reason for the last change"] == "Recruitment under way"
    assert row["Last changed by"] == "Police"
    # Dates are dates, not text.
    assert row["Last change"] == datetime(2018, 6, 20)
    assert row["Last updated"] == datetime(2018, 6, 20)
    assert row["Next target date"] == datetime(2018, 9, 30)
    date_cell = sheet.cell(rows.index(row) + 2, header.index("Last change") + 1)
    assert date_cell.is_date and date_cell.number_format == "d mmm yyyy"
    untouched = next(r for r in rows if r is not row and r["Last change"] is None)
    assert untouched["Last updated"] is None  # never updated: an empty cell


def test_csv_holds_the_same_columns(client, board_member, stockton, updated):
    client.force_login(board_member)
    response = client.get(reverse("task_list_csv", args=[stockton.pk]))
    assert response["Content-Disposition"].endswith('-key-tasks-2018-06-25.csv"')
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert set(PLAN_COLUMNS) <= set(header)
    assert "Recruitment under way" in text and "2018-06-20" in text


def test_export_queries_do_not_grow_with_rows(
    client, board_member, stockton, updated, django_assert_num_queries
):
    client.force_login(board_member)
    url = reverse("task_list_xlsx", args=[stockton.pk])
    # session, user, memberships, plan, meetings, tasks, leads, lead agencies, action to
    # date, future actions
    with django_assert_num_queries(10):
        client.get(url)
    for n in range(30):
        KeyTask.objects.create(section=updated.section, position=100 + n, description=f"T{n}")
    with django_assert_num_queries(10):
        client.get(url)
