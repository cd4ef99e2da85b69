"""The plan-life pages the journey does not walk through, each with its error state, and
the Word import into an existing plan with its cell-by-cell diff: all pass axe-core."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from actionplans.editing import services
from actionplans.exports.docx import render_plan_docx
from actionplans.models import FutureAction, KeyTask
from actionplans.services import TaskChange, record_update
from tests.conftest import PASSWORD

from .conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def check(page, title):
    expect(page).to_have_title(re.compile(title))
    assert_no_axe_violations(page)


def test_task_section_close_and_history_pages(page, live_server, stockton, plan_manager, settings):
    settings.DEMO_DATE = date(2019, 2, 1)
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    record_update(
        task_id=task.pk,
        user=plan_manager,
        expected_version=task.version,
        change=TaskChange(rag="red", reason="Recruitment delayed"),
    )
    services.remove_task(
        task_id=task.pk, user=plan_manager, expected_version=1, reason="Replaced by a review"
    )
    section = stockton.sections.get(position=2)
    login(page, live_server, "plan.manager", PASSWORD)
    base = f"{live_server.url}/plans/{stockton.pk}"

    page.goto(f"{base}/")
    check(page, "^Joint Targeted")
    expect(page.get_by_text("Replaced by a review").first).to_be_visible()
    page.goto(f"{base}/edit/")
    check(page, "^Edit ")
    page.goto(f"{base}/dashboard/")
    check(page, "^Dashboard")

    page.goto(f"{base}/edit/sections/{section.pk}/tasks/add/")
    check(page, "^Add a key task")
    page.locator("#id_leads-0-all_partners").check()
    page.get_by_role("button", name="Save the key task").click()
    check(page, "^Error: Add a key task")
    expect(
        page.get_by_role("link", name="Enter the lead's name, or clear its agencies")
    ).to_be_visible()

    page.goto(f"{base}/edit/sections/{section.pk}/")
    check(page, "^Change a section")
    page.get_by_label("One or more agencies'").check()
    for box in page.locator("input[name=agencies]").all():
        box.uncheck()
    page.get_by_role("button", name="Save the section").click()
    check(page, "^Error: Change a section")

    page.goto(f"{base}/close/")
    check(page, "^Close the plan")
    expect(page.get_by_text("not yet complete")).to_be_visible()
    tasks = KeyTask.objects.filter(section__plan=stockton)
    tasks.update(rag="green")
    FutureAction.objects.filter(task__in=tasks).update(status=FutureAction.Status.DONE)
    page.goto(f"{base}/close/")
    check(page, "^Close the plan")
    page.get_by_role("button", name="Close the plan").click()
    check(page, "^Edit ")
    expect(page.get_by_text("Closed on 1 February 2019")).to_be_visible()

    page.goto(f"{base}/history/")
    check(page, "^History of")
    expect(page.get_by_text("Key task withdrawn")).to_be_visible()


def test_word_import_into_the_plan_shows_the_diff_and_applies_it(
    page, live_server, stockton, plan_manager
):
    data = render_plan_docx(stockton)
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    record_update(
        task_id=task.pk,
        user=plan_manager,
        expected_version=task.version,
        change=TaskChange(rag="green", reason="Done"),
    )
    login(page, live_server, "plan.manager", PASSWORD)
    page.goto(f"{live_server.url}/plans/import/")
    page.get_by_label(str(stockton.inspection)).check()
    page.get_by_label("Upload the plan").set_input_files(
        files=[{"name": "board-copy.docx", "mimeType": DOCX, "buffer": data}]
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(f"{live_server.url}/plans/import/*/")
    check(page, "^Check the plan before you import it")
    page.get_by_role("link", name=re.compile("^Compare with")).click()
    check(page, "^Check the changes before you update the plan")
    expect(page.get_by_text("1 cell changes.")).to_be_visible()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="RAG"))
    expect(row).to_contain_text("Completed")
    expect(row).to_contain_text("Not yet rated")
    page.get_by_role("button", name="Apply these changes").click()
    page.wait_for_url(f"{live_server.url}/plans/{stockton.pk}/")
    check(page, "^Joint Targeted")
    expect(page.get_by_role("alert")).to_contain_text("1 change recorded in its history")
    task.refresh_from_db()
    assert task.rag == "" and task.history.count() == 2
