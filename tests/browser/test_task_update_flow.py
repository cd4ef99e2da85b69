"""An agency lead brings a task up to date in a real browser, safely.

The Cleveland Police demo lead finds a police task under "Your tasks", adds an action,
marks a future action done, changes the RAG with a reason, previews and saves it, and
sees the change on the plan page and in the task's history; the council lead cannot
update that task. Every page on the way, with errors and with a conflict, passes axe.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from actionplans.management.commands.seed_demo import DEMO_PASSWORD
from actionplans.models import KeyTask

from .conftest import assert_no_axe_violations, close_page, login, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK = "Review capacity in the PVP and children's hub"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)
    return KeyTask.objects.get(description=TASK)


def test_police_lead_updates_a_task_and_the_council_lead_cannot(page, browser, live_server, demo):
    task = demo
    login(page, live_server, "police.lead", DEMO_PASSWORD)

    # Signing in lands a lead on their tasks.
    assert page.url == f"{live_server.url}/tasks/"
    assert page.title() == "Your tasks – JTAI Tracker"
    assert_no_axe_violations(page)
    police_table = page.get_by_role("table", name="Actions for Cleveland Police")
    police_table.get_by_role("link", name=TASK, exact=True).click()

    page.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
    assert "No updates have been made to this task" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Update this task").click()

    page.wait_for_url(f"{live_server.url}/tasks/{task.pk}/update/")
    assert_no_axe_violations(page)

    # A first try with mistakes: a new rating without a reason, an impossible date.
    action_box = page.get_by_label("What has been done?")
    action_box.fill("Two detective sergeants appointed to the PVP")
    # GOV.UK's character count counts down as the lead types.
    counter = page.locator(".govuk-character-count", has=action_box)
    expect(counter.locator(".govuk-character-count__status")).to_have_text(
        "You have 956 characters remaining"
    )
    page.get_by_label("What is planned next? (optional)").fill("Audit of PVP caseloads")
    new_date = page.locator("#id_new_future-0-target_date-group")
    new_date.get_by_label("Day").fill("31")
    new_date.get_by_label("Month").fill("2")
    new_date.get_by_label("Year").fill("2018")
    status = page.get_by_role("group", name="Status of future action 1")
    status.get_by_label("Done", exact=True).check()
    page.get_by_role("group", name="What is the rating now?").get_by_label(
        "Behind schedule"
    ).check()
    page.get_by_role("button", name="Preview your update").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert page.title().startswith("Error: ")
    assert "Enter why the rating has changed" in summary.inner_text()
    assert "Target date must be a real date" in summary.inner_text()
    # Nothing typed is lost.
    assert action_box.input_value() == "Two detective sergeants appointed to the PVP"
    assert status.get_by_label("Done", exact=True).is_checked()
    assert_no_axe_violations(page)

    summary.get_by_role("link", name="Target date must be a real date").click()
    assert page.evaluate("document.activeElement.id") == "id_new_future-0-target_date"
    new_date.get_by_label("Day").fill("28")
    page.get_by_label("Reason for the change").fill("Two of four posts still vacant")
    page.get_by_role("button", name="Preview your update").click()

    page.get_by_role("heading", name="Check your update before saving it").wait_for()
    board_view = page.get_by_role("table", name="What the board will see")
    row = board_view.locator("tbody tr")
    assert "Two detective sergeants appointed to the PVP" in row.inner_text()
    assert row.locator(".govuk-tag--red").inner_text() == "Behind schedule"
    assert "Target: 28 February 2018" in row.inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save update").click()

    page.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
    banner = page.locator(".govuk-notification-banner--success")
    assert "Your update has been saved" in banner.inner_text()
    history = page.locator(".app-history__entry").first
    assert "Pat Police, Cleveland Police" in history.inner_text()
    assert re.search(r"Not yet rated\s+changed to\s+Behind schedule", history.inner_text())
    assert "Two of four posts still vacant" in history.inner_text()
    assert "Prioritisation process to fill vacancies" in history.inner_text()
    assert_no_axe_violations(page)

    # The plan page shows the change where the board reads it.
    page.get_by_role("link", name=re.compile("Post Inspection Action Plan 2018")).click()
    plan_row = page.locator(f"#task-{task.pk}")
    assert plan_row.locator(".govuk-tag--red").inner_text() == "Behind schedule"
    done_cell = plan_row.locator('td[data-label="Action to date"]').inner_text()
    assert "Two detective sergeants appointed to the PVP" in done_cell
    assert "Prioritisation process to fill vacancies" in done_cell
    future_cell = plan_row.locator('td[data-label="Future actions"]').inner_text()
    assert "Prioritisation process" not in future_cell
    assert "Audit of PVP caseloads" in future_cell
    assert_no_axe_violations(page)

    # The council lead sees the task but has no update button, and is refused at the URL.
    council = new_page(browser)
    login(council, live_server, "council.lead", DEMO_PASSWORD)
    council.goto(f"{live_server.url}/tasks/{task.pk}/")
    assert council.get_by_role("button", name="Update this task").count() == 0
    assert council.get_by_role("link", name=re.compile("^Update")).count() == 0
    response = council.goto(f"{live_server.url}/tasks/{task.pk}/update/")
    assert response.status == 403
    assert council.get_by_role("heading", name="You cannot do this").is_visible()
    assert_no_axe_violations(council)
    close_page(council)


def test_a_conflict_keeps_the_second_persons_text_to_merge_and_save(
    page, browser, live_server, demo
):
    task = demo
    login(page, live_server, "police.lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/tasks/{task.pk}/update/")

    manager = new_page(browser)
    login(manager, live_server, "plan.manager", DEMO_PASSWORD)
    manager.goto(f"{live_server.url}/tasks/{task.pk}/update/")
    manager.get_by_label("What has been done?").fill("Extra funding agreed by the board")
    manager.get_by_role("button", name="Preview your update").click()
    manager.get_by_role("button", name="Save update").click()
    manager.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
    close_page(manager)

    # The lead, on the page opened before the manager saved:
    page.get_by_label("What has been done?").fill("Two detective sergeants appointed")
    status = page.get_by_role("group", name="Status of future action 2")
    status.get_by_label("Dropped", exact=True).check()
    page.get_by_label("Why is it being dropped?").nth(1).fill("Covered by the new recruitment")
    page.get_by_role("button", name="Preview your update").click()

    page.get_by_role("heading", name="Someone else has updated this task").wait_for()
    main = page.locator("main").inner_text()
    assert "Extra funding agreed by the board" in main
    assert "Two detective sergeants appointed" in main
    assert page.get_by_label("What has been done?").input_value() == (
        "Two detective sergeants appointed"
    )
    assert (
        page.get_by_role("group", name="Status of future action 2")
        .get_by_label("Dropped", exact=True)
        .is_checked()
    )
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Preview your update").click()
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
    assert "Your update has been saved" in page.locator(".govuk-notification-banner").inner_text()
    task.refresh_from_db()
    assert task.version == 3
    texts = set(task.action_to_date.values_list("text", flat=True))
    assert {"Extra funding agreed by the board", "Two detective sergeants appointed"} <= texts


def test_board_member_reads_tasks_and_their_history_without_updating(page, live_server, demo):
    task = demo
    login(page, live_server, "board.member", DEMO_PASSWORD)
    page.get_by_role("link", name="Your tasks").click()
    page.wait_for_url(f"{live_server.url}/tasks/")
    assert "There are no key tasks for you to update" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("link", name=re.compile("Post Inspection Action Plan 2018")).click()
    page.get_by_role("link", name=TASK, exact=True).click()
    page.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
    assert page.get_by_role("button", name="Update this task").count() == 0
    assert page.get_by_role("heading", name="History").is_visible()
    assert_no_axe_violations(page)
