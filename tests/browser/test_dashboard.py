"""The board member's way through the dashboard in a real browser, and axe-core on every
page of it: the dashboard, the filtered task list, the meetings form and its errors."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from openpyxl import load_workbook

from actionplans.management.commands.seed_demo import DEMO_PASSWORD
from actionplans.models import ActionPlan
from inspections.models import BoardMeeting

from .conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    """The Stockton plan with the demo's logins, board meetings and sample progress."""
    cache.clear()
    call_command("seed_demo", "--sample-progress", verbosity=0)
    return ActionPlan.objects.get()


def table_rows(page):
    """(key task, RAG) of each row of the task list as the page shows them."""
    rows = page.locator("table.app-task-table tbody tr")
    return [
        (
            row.locator("td").nth(1).inner_text().strip(),
            row.locator("td").nth(3).inner_text().strip(),
        )
        for row in rows.all()
    ]


def test_board_member_follows_a_red_count_filters_and_exports(page, live_server, demo, tmp_path):
    login(page, live_server, "board.member", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{demo.get_absolute_url()}")
    page.get_by_role("link", name="Dashboard: where the plan stands").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))

    assert page.title() == f"Dashboard: {demo.title} – JTAI Tracker"
    chart = page.get_by_role("img", name="Key tasks by RAG rating at each board meeting and now")
    assert chart.is_visible()
    assert page.get_by_role("table", name="Key tasks by RAG rating and section").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_no_axe_violations(page)

    # The sample progress left 8 tasks behind schedule.
    page.get_by_role("link", name="Behind schedule: whole plan").click()
    page.wait_for_url(re.compile(r"/tasks/\?rag=red$"))
    rows = table_rows(page)
    assert len(rows) == 8
    assert {rag for _, rag in rows} == {"Behind schedule"}
    assert_no_axe_violations(page)

    page.get_by_label("Lead agency").select_option(label="Cleveland Police")
    assert page.get_by_label("Behind schedule").is_checked()  # the red filter holds
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"agency=\d+"))
    filtered = table_rows(page)
    assert 0 < len(filtered) < len(rows)
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these key tasks as Excel").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    sheet = load_workbook(path).active
    exported = list(sheet.iter_rows(values_only=True))
    header, body = exported[0], exported[1:]
    task_col, rag_col = header.index("Key task"), header.index("RAG")
    assert len(body) == len(filtered)
    for (shown, shown_rag), row in zip(filtered, body, strict=True):
        # The page cuts long tasks short; the file holds them whole.
        assert " ".join(row[task_col].split()).startswith(shown.rstrip("…").strip())
        assert row[rag_col] == shown_rag == "Behind schedule"


def test_plan_manager_records_a_meeting_and_sees_errors_first(page, live_server, demo):
    login(page, live_server, "plan.manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{demo.pk}/dashboard/")
    page.get_by_role("link", name="Record board meetings").click()
    page.wait_for_url(re.compile(r"/meetings/$"))
    assert page.title() == "Board meetings of Stockton-on-Tees – JTAI Tracker"
    assert_no_axe_violations(page)

    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2019")
    page.get_by_label("Name of the meeting (optional)").fill("LSCB February")
    page.get_by_role("button", name="Record the meeting").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert page.title().startswith("Error: ")
    assert "The date of the meeting must be a real date" in summary.inner_text()
    assert page.get_by_label("Name of the meeting (optional)").input_value() == "LSCB February"
    assert_no_axe_violations(page)

    page.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Record the meeting").click()
    page.get_by_text("Board meeting on 28 February 2019 recorded").wait_for()
    assert BoardMeeting.objects.filter(date="2019-02-28", title="LSCB February").exists()
    assert_no_axe_violations(page)


def test_dashboard_comparison_with_an_older_meeting_and_its_error_state(page, live_server, demo):
    login(page, live_server, "board.member", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{demo.pk}/dashboard/")

    page.get_by_label("Compare with the board meeting of").select_option(label="12 July 2018")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"since=2018-07-12"))
    changed = page.get_by_role(
        "table", name=re.compile("changed since the board meeting of 12 July")
    )
    assert changed.locator("tbody tr").count() == 8
    assert "Recruitment delayed; milestone missed." in changed.inner_text()
    assert_no_axe_violations(page)

    page.get_by_label("Day").fill("40")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2019")
    page.get_by_role("button", name="Compare").click()
    page.locator(".govuk-error-summary").wait_for()
    assert (
        "The date to compare with must be a real date"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert_no_axe_violations(page)
