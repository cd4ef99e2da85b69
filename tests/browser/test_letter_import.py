"""A plan manager adds an inspection from its findings letter in a real browser.

Every step passes axe-core, the error states too: no file, not a PDF, a scan (with the
offer to add the inspection by hand), the preview, a correction the form refuses, and the
inspection page afterwards. A key task is then linked to one of the new findings; the app
has no page for editing a task's findings yet, so the link is made with the model, as the
admin would, and the inspection page shows it.
"""

import re

import pytest
from playwright.sync_api import expect

from actionplans.models import KeyTask
from inspections.models import Inspection
from tests.conftest import PASSWORD
from tests.pdf_builder import Page, build, findings_letter

from .conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMPROVEMENT = (
    "The quality of information shared by health agencies with the front door, so that "
    "decisions about children are well informed."
)
POLICE = "Officers do not always record the voice of the child at incidents of domestic abuse."
STRENGTH = "Leaders know their services well and act quickly on what they learn."


def choose_file(page, name, data):
    page.get_by_label("Upload the findings letter").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": data}]
    )


def test_plan_manager_adds_an_inspection_from_its_letter(page, live_server, stockton, plan_manager):
    letter = findings_letter(
        area="Stockton-on-Tees", improvements=[IMPROVEMENT], police=[POLICE], strengths=[STRENGTH]
    )
    login(page, live_server, "plan.manager", PASSWORD)
    page.get_by_role("link", name="Add an inspection from its letter").click()
    page.wait_for_url(f"{live_server.url}/inspections/from-letter/")
    expect(page).to_have_title(re.compile(r"^Add an inspection from its letter"))
    assert_no_axe_violations(page)

    # No file chosen.
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_title(re.compile(r"^Error: Add an inspection from its letter"))
    expect(page.get_by_role("link", name="Choose the findings letter's PDF file")).to_be_visible()
    assert_no_axe_violations(page)

    # Not a PDF.
    choose_file(page, "letter.pdf", b"PK\x03\x04 a Word document")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("link", name=re.compile("This is not a PDF"))).to_be_visible()
    assert_no_axe_violations(page)

    # A scan: said so, with the way to add the inspection by hand.
    choose_file(page, "scan.pdf", build([Page(), Page()]))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("link", name=re.compile("pages are pictures"))).to_be_visible()
    expect(
        page.get_by_role("link", name="add the inspection without its findings", exact=True)
    ).to_be_visible()
    assert_no_axe_violations(page)
    assert Inspection.objects.count() == 1

    # The letter: everything read, nothing saved yet.
    choose_file(page, "stockton-letter.pdf", letter)
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/inspections/from-letter/[\w-]+/$"))
    expect(page.get_by_role("heading", name="Check what was read from the letter")).to_be_visible()
    expect(page.get_by_text("by 11 June 2021.", exact=False)).to_be_visible()
    expect(page.get_by_label("Area")).to_have_value(str(stockton.inspection.area_id))
    expect(page.get_by_text("Under the heading “Police”.", exact=False)).to_be_visible()
    assert Inspection.objects.count() == 1
    assert_no_axe_violations(page)

    # A correction the form refuses: the fieldwork cannot end before it began.
    fieldwork_end = page.get_by_role("group", name="Last day of the fieldwork")
    fieldwork_end.get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Add the inspection and the ticked findings").click()
    expect(
        page.get_by_role("link", name="The last day of the fieldwork must be on or after the first")
    ).to_be_visible()
    assert Inspection.objects.count() == 1
    assert_no_axe_violations(page)

    # Corrected; the strength was misread, say, so it is unticked.
    page.get_by_role("group", name="Last day of the fieldwork").get_by_label("Year").fill("2021")
    page.get_by_label(STRENGTH).uncheck()
    page.get_by_role("button", name="Add the inspection and the ticked findings").click()
    page.wait_for_url(re.compile(r"/inspections/\d+/$"))
    created = Inspection.objects.exclude(pk=stockton.inspection_id).get()
    assert page.url == f"{live_server.url}{created.get_absolute_url()}"
    expect(page.get_by_role("alert")).to_contain_text(
        "Inspection added from the letter with 2 findings"
    )
    assert sorted(created.findings.values_list("text", flat=True)) == sorted([IMPROVEMENT, POLICE])
    assert str(created.statement_due_stated) == "2021-06-11"
    assert_no_axe_violations(page)

    # A key task of the Stockton plan answers the police finding.
    finding = created.findings.get(text=POLICE)
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    task.findings.add(finding)
    page.reload()
    row = page.get_by_role("row").filter(has_text=POLICE)
    expect(row.get_by_role("link")).to_contain_text("Review capacity in the PVP")
    assert [a.name for a in finding.agencies.all()] == ["Cleveland Police"]


def test_findings_added_to_an_existing_inspection_and_by_hand_form(
    page, live_server, stockton, plan_manager
):
    inspection = stockton.inspection
    recorded = inspection.findings.get(kind="improvement", position=2)
    letter = findings_letter(area="Stockton-on-Tees", improvements=[recorded.text, IMPROVEMENT])
    before = inspection.findings.count()
    login(page, live_server, "plan.manager", PASSWORD)
    page.goto(f"{live_server.url}{inspection.get_absolute_url()}")
    page.get_by_role("link", name="Add findings from the letter").click()
    expect(page.get_by_role("heading", name="Add findings from the letter")).to_be_visible()
    assert_no_axe_violations(page)
    choose_file(page, "letter.pdf", letter)
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/inspections/from-letter/[\w-]+/$"))
    expect(page.get_by_text("Already recorded", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Add the ticked findings").click()
    page.wait_for_url(f"{live_server.url}{inspection.get_absolute_url()}")
    expect(page.get_by_role("alert")).to_contain_text("1 finding added from the letter")
    assert inspection.findings.count() == before + 1
    assert_no_axe_violations(page)

    # The by-hand form, empty and refused, then filled.
    page.goto(f"{live_server.url}/inspections/from-letter/by-hand/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Add the inspection").click()
    expect(page).to_have_title(re.compile(r"^Error: Add an inspection without its findings"))
    assert_no_axe_violations(page)
