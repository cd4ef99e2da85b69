"""The strict Content-Security-Policy holds in a real browser: the main pages load their
scripts and styles from files and the browser reports no violation (the `page` fixture
listens for them on every browser test), while an inline script is really refused."""

import pytest

from . import test_pages_accessible as pages
from .conftest import login

PASSWORD = pages.PASSWORD
# The small Stockton-like plan and its manager of the accessibility tests.
plan, plan_manager = pages.plan, pages.plan_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_browser_refuses_an_inline_script(page, live_server, plan_manager):
    page.goto(f"{live_server.url}/login/")
    with pytest.raises(Exception, match="Content Security Policy|Refused"):
        page.add_script_tag(content="window.injected = true")
    assert page.evaluate("window.injected === undefined")
    # The page's `securitypolicyviolation` event is reported a moment after the browser's
    # own console message: wait for it too, so that neither outlives the clear below.
    for _ in range(100):
        if any("CSP violation: script-src" in v for v in page.csp_violations):
            break
        page.wait_for_timeout(50)
    assert any("script-src" in violation for violation in page.csp_violations)
    page.csp_violations.clear()  # seen: this test is about them


def test_main_pages_run_their_scripts_with_no_violation(page, live_server, plan, plan_manager):
    login(page, live_server, "plan.manager", PASSWORD)
    task = plan.sections.get(position=2).tasks.get()
    urls = [
        "/",
        plan.get_absolute_url(),
        plan.inspection.get_absolute_url(),
        f"/plans/{plan.pk}/dashboard/",
        f"/plans/{plan.pk}/tasks/",
        f"/plans/{plan.pk}/meetings/",
        task.get_absolute_url(),
        f"/tasks/{task.pk}/update/",
        "/tasks/",
        "/plans/import/",
    ]
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        # GOV.UK Frontend's script ran (js-enabled.js, then app.js's initAll).
        page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
        assert page.locator("link[rel=stylesheet]").count() == 1
        assert page.locator("[style]").count() == 0, url
        assert page.locator("script:not([src])").count() == 0, url
        # The stylesheet applied: GOV.UK Frontend pads the main wrapper.
        assert (
            page.locator("main").evaluate("element => getComputedStyle(element).paddingTop")
            != "none"
        )
    assert page.csp_violations == []

    # A form's own behaviour: the update page's error summary takes the focus.
    page.goto(f"{live_server.url}/tasks/{task.pk}/update/")
    page.locator(".govuk-button", has_text="Preview your update").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    assert page.csp_violations == []


def test_the_admin_works_under_the_policy_for_an_operator(
    page, live_server, plan, django_user_model
):
    django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    task = plan.sections.get(position=2).tasks.get()
    for url in [
        "/admin/",
        "/admin/inspections/inspection/add/",
        f"/admin/inspections/area/{plan.inspection.area_id}/change/",
        f"/admin/actionplans/keytask/{task.pk}/change/",
        "/admin/actionplans/taskupdate/",
    ]:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
    # The area's partner agencies: the two-box chooser drawn by the admin's JavaScript.
    page.goto(f"{live_server.url}/admin/inspections/area/{plan.inspection.area_id}/change/")
    page.locator(".selector-chosen").wait_for()
    assert page.csp_violations == []
