"""The plan page's "Export PDF" gives the reader the PDF, in a real browser."""

import pypdf
import pytest

from .conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_pdf_on_the_plan_page_downloads_the_plan(page, live_server, stockton, plan_manager):
    from tests.conftest import PASSWORD

    login(page, live_server, "plan.manager", PASSWORD)
    page.goto(f"{live_server.url}/plans/{stockton.pk}/")
    assert_no_axe_violations(page)
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="Export PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("stockton-on-tees-statement-of-action-")
    assert download.suggested_filename.endswith(".pdf")
    reader = pypdf.PdfReader(download.path())
    assert reader.metadata.title.startswith(stockton.title)
    assert len(reader.pages) > 5


def test_a_pdf_not_ready_shows_its_progress_and_downloads_when_the_worker_is_done(
    page, live_server, stockton, board_member, settings
):
    """As deployed: the job waits in the database for the worker; the page polls."""
    from django.core.cache import caches
    from django.core.management import call_command

    from tests.conftest import PASSWORD

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    caches["exports"].clear()  # the PDF is not rendered yet
    login(page, live_server, "board.member", PASSWORD)
    page.goto(f"{live_server.url}/plans/{stockton.pk}/")
    page.get_by_role("link", name="Export PDF").click()
    page.wait_for_url(f"{live_server.url}/plans/{stockton.pk}/export/pdf/")
    assert page.get_by_role("heading", level=1).inner_text() == "Preparing the PDF"
    assert "Waiting for the server" in page.get_by_role("status").inner_text()
    assert_no_axe_violations(page)
    with page.expect_download(timeout=60_000) as download_info:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert pypdf.PdfReader(download.path()).metadata.title.startswith(stockton.title)
    assert page.get_by_role("heading", level=1).inner_text() == "The PDF is ready"
    assert "download has started" in page.get_by_role("status").inner_text()
    assert_no_axe_violations(page)
