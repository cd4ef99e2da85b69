"""A plan manager, in the browser alone, takes an inspection with findings to a submitted
plan: drafted from the findings, edited, agreed by the board, submitted, and the PDF as
submitted downloaded unchanged. Every page and error state passes axe-core.
"""

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from actionplans.models import ActionPlan, PlanChange
from tests.conftest import PASSWORD

from .conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, title):
    expect(page).to_have_title(re.compile(title))
    assert_no_axe_violations(page)


def test_plan_manager_takes_an_inspection_to_a_submitted_plan(
    page, live_server, stockton, plan_manager, settings
):
    settings.DEMO_DATE = date(2018, 4, 18)  # the day the Stockton statement was due
    login(page, live_server, "plan.manager", PASSWORD)
    expect(page.get_by_text("Demo: as at 18 April 2018")).to_be_visible()
    check(page, "^Your plans")
    page.get_by_role("link", name=stockton.title).click()
    page.get_by_role("link", name=re.compile("^JTAI: neglect, fieldwork")).first.click()
    page.get_by_role("link", name="Start a plan").click()
    check(page, "^Start a plan")
    expect(page.get_by_role("heading", name="The draft from the findings")).to_be_visible()

    # Error state: no title.
    page.get_by_label("Title of the plan").fill("")
    page.get_by_role("button", name="Start the draft plan").click()
    check(page, "^Error: Start a plan")
    expect(page.get_by_role("link", name="Enter a title")).to_be_visible()

    page.get_by_label("Draft it from the inspection's findings").check()
    page.get_by_label("Title of the plan").fill("Neglect inspection action plan 2018")
    page.get_by_role("button", name="Start the draft plan").click()
    check(page, "^Edit Neglect inspection action plan 2018")
    plan = ActionPlan.objects.get(title="Neglect inspection action plan 2018")
    expect(page.get_by_text("5 working days remaining").first).to_be_hidden()
    expect(page.get_by_text("Due today").first).to_be_visible()

    # The plan's details, with an error first.
    page.get_by_role("link", name="Change the plan's details").click()
    page.get_by_label("Title", exact=True).fill("")
    page.get_by_role("button", name="Save the details").click()
    check(page, "^Error: Plan details")
    page.get_by_label("Title", exact=True).fill("Neglect inspection action plan 2018")
    page.get_by_label("Version label").fill("Draft for the board 10/04/18")
    page.get_by_label("Green means").fill("Completed")
    page.locator("#id_intro-0-text").fill("The partnership welcomes the inspection's findings.")
    page.get_by_label("Why are you making this change? (optional)").fill("Board's wording")
    page.get_by_role("button", name="Save the details").click()
    check(page, "^Edit ")
    expect(page.get_by_text("Draft for the board 10/04/18")).to_be_visible()

    # Rewrite the first police task as an action, with its lead; an error first.
    police_section = page.locator(
        "section", has=page.get_by_role("heading", name="Actions for Cleveland Police")
    )
    police_section.get_by_role("link", name=re.compile("^Change key task 1 ")).click()
    check(page, "^Change a key task")
    page.get_by_label("Key task", exact=True).fill("")
    page.get_by_role("button", name="Save the key task").click()
    check(page, "^Error: Change a key task")
    page.get_by_label("Key task", exact=True).fill(
        "Review the capacity of the PVP unit to meet demand"
    )
    page.get_by_label("How will we know?").fill("Referrals handled within 24 hours")
    page.locator("#id_leads-0-name").fill("D. Supt. PVP")
    page.get_by_role("button", name="Save the key task").click()
    check(page, "^Edit ")
    expect(page.get_by_text("Review the capacity of the PVP unit to meet demand")).to_be_visible()

    # Reorder without JavaScript, and remove a draft task (with the reason asked first).
    police_section = page.locator(
        "section", has=page.get_by_role("heading", name="Actions for Cleveland Police")
    )
    police_section.get_by_role(
        "button", name=re.compile(r"^Move down\W+Review the capacity")
    ).click()
    check(page, "^Edit ")
    police_section.get_by_role("link", name=re.compile("^Remove key task 9 ")).click()
    check(page, "^Remove a key task")
    page.get_by_role("button", name="Remove the key task").click()
    check(page, "^Error: Remove a key task")
    page.get_by_label("Why is it being removed?").fill("Covered by the PVP review")
    page.get_by_role("button", name="Remove the key task").click()
    check(page, "^Edit ")

    # A section: added (an error first), then removed again.
    page.get_by_role("link", name="Add a section").click()
    check(page, "^Add a section")
    page.get_by_role("button", name="Save the section").click()
    check(page, "^Error: Add a section")
    page.get_by_label("Section title").fill("Actions for schools")
    page.get_by_label("The whole partnership's").check()
    page.get_by_role("button", name="Save the section").click()
    check(page, "^Edit ")
    page.get_by_role("link", name="Remove section Actions for schools").click()
    page.get_by_label("Why is it being removed?").fill("Schools sit with the council's actions")
    page.get_by_role("button", name="Remove the section").click()
    check(page, "^Edit ")

    # Agreed by the board: the meeting is recorded first.
    page.get_by_role("link", name="Record the board's agreement").click()
    check(page, "^Record the board's agreement")
    page.get_by_role("link", name="Record the meeting").click()
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2018")
    page.get_by_role("button", name="Record the meeting").click()
    page.goto(f"{live_server.url}/plans/{plan.pk}/agree/")
    check(page, "^Record the board's agreement")
    page.get_by_role("button", name="Record the agreement").click()
    check(page, "^Error: Record the board's agreement")
    page.get_by_label("Board meeting 10 April 2018").check()
    page.get_by_role("button", name="Record the agreement").click()
    check(page, "^Edit ")
    expect(page.get_by_text("Agreed by the board at Board meeting 10 April 2018")).to_be_visible()

    # Submitted: a date in the future is refused, then the PDF as submitted is kept.
    page.get_by_role("link", name="Record it as submitted").click()
    check(page, "^Record the plan as submitted")
    page.get_by_label("Day").fill("19")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2018")
    page.get_by_role("button", name="Record as submitted").click()
    check(page, "^Error: Record the plan as submitted")
    page.get_by_label("Day").fill("18")
    # The PDF as submitted is rendered in this request: on a busy machine, and as the
    # first PDF of the worker's process, it may take longer than a page's 30 s.
    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name="Record as submitted").click(timeout=120_000)
    check(page, "^Edit ")
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.SUBMITTED

    # The plan page says when it was submitted, not a countdown; the PDF downloads as sent.
    page.get_by_role("link", name="View the plan").click()
    check(page, "^Neglect inspection action plan 2018")
    expect(page.get_by_text("Submitted on 18 April 2018").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="the PDF as submitted").click()
    body = Path(download.value.path()).read_bytes()
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == plan.submitted_pdf_sha256
    assert hashlib.sha256(plan.submitted_pdf.read()).hexdigest() == plan.submitted_pdf_sha256

    # Everything was recorded, and the history page reads it.
    page.get_by_role("link", name="History of the plan").click()
    check(page, "^History of")
    actions = list(
        PlanChange.objects.filter(plan=plan).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        "created",
        "details",
        "task_edited",
        "task_moved",
        "task_removed",
        "section_added",
        "section_removed",
        "agreed",
        "submitted",
    ]
    expect(page.get_by_text("Covered by the PVP review")).to_be_visible()
    page.goto(f"{live_server.url}/plans/{plan.pk}/agencies/")
    check(page, "^Names of the agencies")
    page.get_by_role("button", name="Add the name").click()
    check(page, "^Error: Names of the agencies")
