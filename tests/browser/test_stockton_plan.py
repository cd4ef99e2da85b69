"""The real Stockton plan, as the demo serves it, in a real browser."""

import pytest

from .conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_member_reads_the_whole_stockton_plan_with_no_axe_violations(
    page, live_server, stockton, board_member
):
    from tests.conftest import PASSWORD

    login(page, live_server, "board.member", PASSWORD)
    page.get_by_role("link", name=stockton.title).first.click()
    page.wait_for_url(f"{live_server.url}/plans/{stockton.pk}/")
    assert page.title().startswith(stockton.title)
    # All five sections are tables with captions; 25 task rows in all.
    captions = page.locator("table caption").all_inner_texts()
    assert [c for c in captions if c.startswith("Actions")] == [
        s.title for s in stockton.sections.order_by("position")
    ]
    assert page.locator("tbody tr").count() >= 25
    assert page.get_by_text("D. Supt. PVP").count() == 6
    assert page.get_by_text("Target: 30 June 2018").count() >= 1
    assert_no_axe_violations(page)
