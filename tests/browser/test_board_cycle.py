"""The board cycle in a real browser: the police lead attaches evidence and proposes a
task as completed; the plan manager confirms it and makes the board pack, which shows
both. Every new page (evidence form and its errors, the decision page, the board packs
and a pack's page, the email choices) passes axe."""

import io
import re
from datetime import timedelta

import pdfplumber
import pytest
from django.core import mail
from django.core.management import call_command

from actionplans.management.commands.seed_demo import DEMO_PASSWORD
from actionplans.models import Evidence, KeyTask, Rag
from inspections import clock
from inspections.models import BoardMeeting

from ..sample_files import PDF
from .conftest import assert_no_axe_violations, close_page, login, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK = "Review capacity in the PVP and children's hub"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)
    task = KeyTask.objects.get(description=TASK)
    BoardMeeting.objects.create(
        area=task.section.plan.inspection.area,
        date=clock.today() + timedelta(days=14),
        title="Quarterly LSCB",
    )
    return task


def test_evidence_completion_confirmation_and_board_pack(page, browser, live_server, demo):
    task = demo
    login(page, live_server, "police.lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    page.get_by_role("button", name="Add evidence").click()
    page.wait_for_url(f"{live_server.url}/tasks/{task.pk}/evidence/")
    assert_no_axe_violations(page)

    # An HTML page named .pdf is refused, with the note kept.
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "audit.pdf", "mimeType": "application/pdf", "buffer": b"<html></html>"}]
    )
    page.get_by_label("What does this show?").fill("Caseloads per officer halved since March")
    page.get_by_role("button", name="Add evidence").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "The selected file must be a PDF" in summary.inner_text()
    assert page.get_by_label("What does this show?").input_value().startswith("Caseloads")
    assert_no_axe_violations(page)
    assert not Evidence.objects.exists()

    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "PVP caseload audit.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Add evidence").click()
    page.wait_for_url(re.compile(rf"/tasks/{task.pk}/#evidence$"))
    evidence = page.locator(".app-evidence-list")
    assert "PVP caseload audit.pdf" in evidence.inner_text()
    assert "Added by Pat Police" in evidence.inner_text()
    assert_no_axe_violations(page)

    # Choosing "Completed" proposes it.
    page.get_by_role("button", name="Update this task").click()
    page.get_by_role("group", name="What is the rating now?").get_by_label("Completed").check()
    page.get_by_label("Reason for the change").fill("All four PVP posts filled; audit attached")
    page.get_by_role("button", name="Preview your update").click()
    assert "Saving proposes this task as completed" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
    assert "Completed - awaiting confirmation" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Your emails").click()
    page.get_by_role("heading", name="Your emails").wait_for()
    assert_no_axe_violations(page)

    # The plan manager confirms it.
    manager = new_page(browser)
    manager.context.set_default_timeout(60_000)  # the board pack is laid out on the way
    login(manager, live_server, "plan.manager", DEMO_PASSWORD)
    manager.goto(f"{live_server.url}/tasks/{task.pk}/")
    manager.get_by_role("button", name="Confirm or return the completion").click()
    manager.get_by_role("heading", name="Confirm or return a completion").wait_for()
    assert "All four PVP posts filled" in manager.locator("main").inner_text()
    assert_no_axe_violations(manager)
    manager.get_by_role("button", name="Save the decision").click()  # nothing chosen
    manager.locator(".govuk-error-summary").wait_for()
    assert_no_axe_violations(manager)
    manager.get_by_label("Yes, confirm it as completed").check()
    manager.get_by_role("button", name="Save the decision").click()
    manager.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
    assert KeyTask.objects.get(pk=task.pk).rag == Rag.GREEN

    # ... and makes the board pack from the dashboard.
    manager.goto(f"{live_server.url}/plans/{task.section.plan_id}/dashboard/")
    manager.get_by_role("link", name="Board packs").click()
    manager.get_by_role("heading", name="Board packs").wait_for()
    assert_no_axe_violations(manager)
    manager.get_by_label(re.compile(r"\(Quarterly LSCB\)")).check()
    manager.get_by_role("button", name="Make the board pack").click()
    manager.get_by_role("heading", name=re.compile("^Board pack for")).wait_for()
    link = manager.get_by_role("link", name="Download the board pack (PDF)")
    link.wait_for()
    assert_no_axe_violations(manager)
    with manager.expect_download(timeout=60_000) as download:
        link.click()
    with pdfplumber.open(io.BytesIO(open(download.value.path(), "rb").read())) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    confirmed = text.split("Completions confirmed since")[1].split("Completed, awaiting")[0]
    assert "Review capacity in the PVP" in confirmed
    assert "PVP caseload audit.pdf" in text.split("Annex: evidence")[1]
    # The board is told.
    assert any("board pack" in m.subject for m in mail.outbox)
    close_page(manager)


def test_a_pack_being_made_shows_its_progress_and_then_its_download(page, live_server, demo):
    """The pack's page follows the job without a reload (static/js/board-pack.js)."""
    from django.utils import timezone

    from actionplans.models import BoardPack

    plan = demo.section.plan
    pack = BoardPack.objects.create(
        plan=plan,
        meeting=BoardMeeting.objects.get(area=plan.inspection.area, title="Quarterly LSCB"),
        requested_at=timezone.now(),
        status=BoardPack.Status.RUNNING,
        progress="Laying out the plan",
    )
    login(page, live_server, "board.member", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{pack.get_absolute_url()}")
    status = page.locator("[data-board-pack-status]")
    assert "Laying out the plan" in status.inner_text()
    assert_no_axe_violations(page)
    page.evaluate("window.stillTheSamePage = true")

    BoardPack.objects.filter(pk=pack.pk).update(status=BoardPack.Status.READY, progress="Ready")
    download = page.get_by_role("link", name="Download the board pack (PDF)")
    download.wait_for(timeout=15_000)  # the page checks every 3 seconds
    assert page.evaluate("window.stillTheSamePage === true")  # updated in place, no reload
    assert "Ready" in status.inner_text()
