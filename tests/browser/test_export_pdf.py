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
