"""Every page a partner uses passes axe-core's WCAG 2.2 A and AA checks in a real browser.

Public sector services must meet WCAG 2.2 AA; the plan page is also where a busy
reader works through six columns of text, so it must fit a laptop screen.
"""

import os
from datetime import date

import pytest

from actionplans.models import (
    ActionEntry,
    ActionPlan,
    FutureAction,
    IntroParagraph,
    KeyTask,
    Lead,
    PlanSection,
    Rag,
)
from inspections.models import Agency, Area, Finding, Inspection, Inspectorate, Membership

from .conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

RED_TASK = "Review capacity in the PVP and children's hub"
UNRATED_TASK = (
    "A review of the resilience and capacity of staff from each relevant organisation "
    "within the hub will be undertaken."
)


@pytest.fixture
def plan(transactional_db):
    """A small Stockton-like plan: two sections, one red task and one not yet rated."""
    police = Agency.objects.create(
        name="Cleveland Police", short_name="Police", kind=Agency.Kind.POLICE
    )
    council = Agency.objects.create(
        name="Stockton-on-Tees Borough Council", short_name="SBC", kind=Agency.Kind.COUNCIL
    )
    area = Area.objects.create(
        name="Stockton-on-Tees",
        partnership_name="Stockton-on-Tees Local Safeguarding Children Board",
    )
    area.agencies.add(police, council)

    inspection = Inspection.objects.create(
        area=area,
        kind=Inspection.Kind.JTAI,
        theme="neglect",
        fieldwork_start=date(2017, 11, 6),
        fieldwork_end=date(2017, 11, 10),
        letter_published=date(2018, 1, 18),
        report_received=date(2018, 1, 18),
        statement_due_stated=date(2018, 4, 18),
    )
    # Seeded by a migration, but a transactional test flushes them after the first test.
    for code, name in [("Ofsted", "Ofsted"), ("HMICFRS", "HM Inspectorate of Constabulary")]:
        inspectorate, _ = Inspectorate.objects.get_or_create(code=code, defaults={"name": name})
        inspection.inspectorates.add(inspectorate)
    finding = Finding.objects.create(
        inspection=inspection,
        kind=Finding.Kind.IMPROVEMENT,
        position=1,
        text="Cleveland Police are experiencing difficulties in managing demand in the PVP.",
    )
    finding.agencies.add(police)
    Finding.objects.create(
        inspection=inspection,
        kind=Finding.Kind.STRENGTH,
        position=1,
        text="Agencies give absolute priority to safeguarding children.",
    )

    plan = ActionPlan.objects.create(
        inspection=inspection,
        title="Joint Targeted Area Neglect Inspection - Post Inspection Action Plan 2018",
        version_label="Final Draft 18/04/18",
        running_heading="Joint Targeted Area Inspection – Stockton-on-Tees November 2017 – "
        "recommendations and actions",
    )
    IntroParagraph.objects.create(
        plan=plan,
        number=1,
        text="This action plan outlines the actions partners will take in response to the "
        "Joint Targeted Area Inspection undertaken in November 2017.",
    )
    IntroParagraph.objects.create(
        plan=plan,
        number=2,
        heading="The value of the inspection",
        text="This inspection has brought considerable value to the work of partners around "
        "identifying and responding to neglect.",
    )

    whole = PlanSection.objects.create(
        plan=plan, position=1, title="Actions across the whole partnership", whole_partnership=True
    )
    unrated = KeyTask.objects.create(
        section=whole,
        position=1,
        description=UNRATED_TASK,
        success_measures="Enhanced capacity\nStaff resilience within the hub will be strengthened",
    )
    Lead.objects.create(
        task=unrated, name="CHUB implementation group (LA, public health, police, FTs)"
    )
    ActionEntry.objects.create(
        task=unrated,
        position=1,
        text="Children's Hub Strategic Management Board considered outcomes and issues",
        added_on=date(2018, 4, 1),
    )
    FutureAction.objects.create(
        task=unrated, position=1, text="Strategic review of CHub", target_date=date(2018, 6, 30)
    )

    police_section = PlanSection.objects.create(
        plan=plan, position=2, title="Actions for Cleveland Police"
    )
    police_section.agencies.add(police)
    red = KeyTask.objects.create(
        section=police_section,
        position=1,
        description=RED_TASK,
        success_measures="New arrangements in place\nBacklogs managed and cleared",
        rag=Rag.RED,
    )
    red.findings.add(finding)
    Lead.objects.create(task=red, name="D. Supt. PVP").agencies.add(police)
    ActionEntry.objects.create(
        task=red,
        position=1,
        text="Swift recruitment process implemented for PVP",
        added_on=date(2018, 4, 1),
    )
    FutureAction.objects.create(
        task=red, position=1, text="Prioritisation process to fill vacancies"
    )
    return plan


@pytest.fixture
def plan_manager(plan, django_user_model):
    user = django_user_model.objects.create_user(
        username="plan.manager", password=PASSWORD, first_name="Pat", last_name="Manager"
    )
    Membership.objects.create(user=user, role=Membership.Role.MANAGER, area=plan.inspection.area)
    return user


def screenshot(page, name):
    """Keep a full-page picture when BROWSER_SCREENSHOTS names a folder (for CI artefacts)."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_login_page_is_accessible_with_and_without_errors(page, live_server, plan_manager):
    page.goto(f"{live_server.url}/login/")
    assert page.title() == "Sign in – JTAI Tracker"
    assert_no_axe_violations(page)

    page.get_by_label("Username").fill("plan.manager")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert page.title() == "Error: Sign in – JTAI Tracker"
    assert "Please enter a correct username and password" in summary.inner_text()
    # GOV.UK Frontend's JavaScript ran: it moves focus to the error summary.
    assert summary.evaluate("element => element === document.activeElement")
    # The message is tied to the field a screen reader user lands on.
    username = page.get_by_label("Username")
    assert username.get_attribute("aria-describedby") == "id_username-error"
    assert username.input_value() == "plan.manager"
    assert_no_axe_violations(page)
    screenshot(page, "login-error")


def test_home_plan_and_inspection_pages_are_accessible(page, live_server, plan, plan_manager):
    login(page, live_server, "plan.manager", PASSWORD)

    assert page.title() == "Your plans – JTAI Tracker"
    assert page.get_by_role("link", name=plan.title).is_visible()
    assert_no_axe_violations(page)
    screenshot(page, "home")

    page.get_by_role("link", name=plan.title).click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    assert page.title() == f"{plan.title} – JTAI Tracker"
    assert_no_axe_violations(page)
    screenshot(page, "plan")

    page.get_by_role("link", name="JTAI: neglect").click()
    page.wait_for_url(f"{live_server.url}{plan.inspection.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Joint Targeted Area Inspection of Stockton-on-Tees"
    )
    assert_no_axe_violations(page)
    screenshot(page, "inspection")


def test_plan_page_shows_tasks_and_rag_labels_within_the_screen(
    page, live_server, plan, plan_manager
):
    login(page, live_server, "plan.manager", PASSWORD)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")

    red_row = page.get_by_role("row").filter(has_text=RED_TASK)
    assert red_row.locator(".govuk-tag--red").inner_text() == "Behind schedule"
    unrated_row = page.get_by_role("row").filter(has_text=UNRATED_TASK)
    assert unrated_row.locator(".govuk-tag").inner_text() == "Not yet rated"
    assert "Target: 30 June 2018" in unrated_row.inner_text()
    assert "D. Supt. PVP" in red_row.inner_text()
    assert page.get_by_role("table", name="Actions for Cleveland Police").is_visible()
    assert "18 April 2018" in page.locator(".app-statement-due").inner_text()

    # Six columns of long text on a 1280px screen: wrapped, never scrolled sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for table in page.locator("table").all():
        box = table.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280


def test_sign_out_button_signs_the_user_out(page, live_server, plan_manager):
    login(page, live_server, "plan.manager", PASSWORD)
    assert page.get_by_text("Pat Manager").is_visible()
    assert page.get_by_role("link", name="Admin").count() == 0  # operators only

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/login/")
