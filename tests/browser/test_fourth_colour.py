"""The fourth colour in a real browser: the plan manager turns blue on for the demo plan,
the police lead moves a confirmed-complete task on to blue, the board sees it counted,
and blue cannot be turned off while the task is blue. Every page and error state on the
way passes axe (WCAG 2.2 AA, colour contrast of the blue tags and chart included)."""

import re

import pytest
from django.core.management import call_command

from actionplans.management.commands.seed_demo import DEMO_PASSWORD
from actionplans.models import ActionPlan, KeyTask, PlanChange, Rag
from actionplans.services import TaskChange, record_update
from inspections.models import Membership

from .conftest import assert_no_axe_violations, close_page, login, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK = "Review capacity in the PVP and children's hub"


@pytest.fixture
def demo(transactional_db):
    """The demo, with the police task's completion confirmed (green) by the plan manager."""
    call_command("seed_demo", verbosity=0)
    task = KeyTask.objects.get(description=TASK)
    manager = Membership.objects.get(
        role=Membership.Role.MANAGER, user__username="plan.manager"
    ).user
    record_update(
        task_id=task.pk,
        user=manager,
        expected_version=task.version,
        change=TaskChange(rag=Rag.GREEN, reason="All PVP posts filled; audit attached"),
    )
    return task


def test_plan_manager_turns_on_blue_and_a_lead_picks_it(page, browser, live_server, demo):
    task = demo
    plan = task.section.plan
    login(page, live_server, "plan.manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")
    page.get_by_role("link", name="Change the plan's details").click()
    page.get_by_role("heading", name="Plan details").wait_for()
    assert_no_axe_violations(page)

    # Turned on without saying what blue means: an error beside the field.
    page.get_by_label("Use a fourth colour, blue").check()
    page.get_by_label("Blue means").fill("")
    page.get_by_role("button", name="Save the details").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter what blue means" in summary.inner_text()
    assert_no_axe_violations(page)
    assert not ActionPlan.objects.get(pk=plan.pk).rag_blue_enabled

    page.get_by_label("Blue means").fill("Completed and embedded")
    page.get_by_label("Why are you making this change? (optional)").fill("The board rates BRAG")
    page.get_by_role("button", name="Save the details").click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/edit/")
    assert "(with a fourth colour, blue)" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    change = PlanChange.objects.filter(plan=plan).latest("pk")
    assert change.changes["rag_blue_enabled"] == [False, True]

    # The police lead moves the confirmed task on to blue: no second confirmation.
    lead = new_page(browser)
    login(lead, live_server, "police.lead", DEMO_PASSWORD)
    lead.goto(f"{live_server.url}/tasks/{task.pk}/update/")
    rating = lead.get_by_role("group", name="What is the rating now?")
    rating.get_by_label("Completed and embedded").check()
    lead.get_by_label("Reason for the change").fill("Caseloads have stayed down for six months")
    assert_no_axe_violations(lead)
    lead.get_by_role("button", name="Preview your update").click()
    lead.get_by_role("button", name="Save update").wait_for()
    main = lead.locator("main").inner_text()
    assert "Completed and embedded" in main and "Saving proposes" not in main
    assert_no_axe_violations(lead)
    lead.get_by_role("button", name="Save update").click()
    lead.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
    tag = lead.locator("strong.app-rag", has_text="Completed and embedded").first
    assert "govuk-tag--blue" in tag.get_attribute("class")
    assert "awaiting confirmation" not in lead.locator("main").inner_text()
    assert_no_axe_violations(lead)
    assert KeyTask.objects.get(pk=task.pk).rag == Rag.BLUE

    # The board's pages count it, in colour and in words.
    lead.goto(f"{live_server.url}/plans/{plan.pk}/dashboard/")
    lead.get_by_role("heading", name="Where the plan stands").wait_for()
    assert_no_axe_violations(lead)
    lead.goto(f"{live_server.url}/plans/{plan.pk}/tasks/")
    lead.get_by_role("group", name="RAG rating").get_by_label("Completed and embedded").check()
    lead.get_by_role("button", name="Apply filters").click()
    lead.wait_for_url(re.compile(r"rag=blue"))
    rows = lead.locator("table.app-task-table tbody tr")
    assert rows.count() == 1 and TASK in rows.first.inner_text()
    assert_no_axe_violations(lead)
    close_page(lead)

    # Blue cannot be turned off while the task is blue: the page says why.
    before = ActionPlan.objects.values_list("version", flat=True).get(pk=plan.pk)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/details/")
    page.get_by_label("Use a fourth colour, blue").uncheck()
    page.get_by_role("button", name="Save the details").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "cannot be turned off while 1 key task is rated" in summary.inner_text()
    assert_no_axe_violations(page)
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.rag_blue_enabled and plan.version == before
