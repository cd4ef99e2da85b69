"""A plan manager imports the Stockton plan from Word in a real browser, and exports it.

Every page of the journey (upload, its error states, preview) passes axe-core.
"""

import re

import pytest
from playwright.sync_api import expect

from actionplans.models import ActionPlan
from tests.conftest import PASSWORD
from tests.docx_builder import seed_layout

from .conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def choose_file(page, name, data):
    page.get_by_label("Upload the plan").set_input_files(
        files=[{"name": name, "mimeType": DOCX, "buffer": data}]
    )


def test_plan_manager_uploads_checks_the_preview_and_imports_the_plan(
    page, live_server, stockton, plan_manager
):
    document = seed_layout(stockton, broken=("All agencies will commence",))
    login(page, live_server, "plan.manager", PASSWORD)
    page.get_by_role("link", name="Import a plan from Word").click()
    page.wait_for_url(f"{live_server.url}/plans/import/")
    assert page.title().startswith("Import a plan from Word")
    assert_no_axe_violations(page)

    # No file chosen: the error sits beside the field and is linked from the summary.
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_title(re.compile(r"^Error: Import a plan from Word"))
    expect(page.get_by_role("link", name="Choose the plan's Word file (.docx)")).to_be_visible()
    assert_no_axe_violations(page)

    # A file that is not a Word document.
    page.get_by_label(str(stockton.inspection)).check()
    choose_file(page, "plan.docx", b"just some text")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("This is not a Word document").first).to_be_visible()
    assert_no_axe_violations(page)

    # The real plan: the preview shows every section and task before anything is saved.
    choose_file(page, "stockton-plan.docx", document)
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(f"{live_server.url}/plans/import/*/")
    expect(page.get_by_role("heading", name="Check the plan before you import it")).to_be_visible()
    captions = page.locator("table caption").all_inner_texts()
    assert len(captions) == 5
    assert captions[2].startswith("Actions for Cleveland Police")
    assert page.locator("tbody th[scope=row]").count() == 25
    assert ActionPlan.objects.count() == 1
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Import plan").click()
    page.wait_for_url(f"{live_server.url}/plans/*/")
    imported = ActionPlan.objects.latest("pk")
    assert page.url == f"{live_server.url}/plans/{imported.pk}/"
    banner = page.get_by_role("alert")
    assert (
        "Plan imported from stockton-plan.docx: 25 key tasks in 5 sections" in banner.inner_text()
    )
    assert page.get_by_text("D. Supt. PVP").count() == 6

    # And out again as Word.
    with page.expect_download() as download:
        page.get_by_role("link", name="Export Word").click()
    assert download.value.suggested_filename.endswith(".docx")
