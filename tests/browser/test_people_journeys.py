"""People and accounts in a real browser: a plan manager invites a lead who sets a
password and updates a task; someone who forgot their password resets it; a locked-out
sign-in says so. Every page on the way, and every error state, passes axe."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from actionplans.management.commands.seed_demo import DEMO_PASSWORD
from actionplans.models import KeyTask
from inspections.models import Membership

from .conftest import assert_no_axe_violations, close_page, login, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK = "Review capacity in the PVP and children's hub"
NEW_PASSWORD = "plum-orchard-lantern-42"
EMAIL = "sam.sergeant@cleveland.police.uk"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)
    return KeyTask.objects.get(description=TASK)


def link_in(message, live_server, path):
    return re.search(rf"{re.escape(live_server.url)}(/{path}/\S+/)", message.body).group(0)


def test_a_plan_manager_invites_a_lead_who_sets_a_password_and_updates_a_task(
    page, browser, live_server, demo
):
    login(page, live_server, "plan.manager", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    page.get_by_role("heading", name="People", exact=True).wait_for()
    assert page.title() == "People of Stockton-on-Tees – JTAI Tracker"
    assert "Agency lead for Cleveland Police" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Invite someone").click()
    page.get_by_role("heading", name="Invite someone").wait_for()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert page.title().startswith("Error: ")
    assert "Enter the person's email address" in summary.inner_text()
    assert_no_axe_violations(page)

    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Sergeant")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Agency lead for Cleveland Police").check()
    page.get_by_role("button", name="Send invitation").click()
    banner = page.locator(".govuk-notification-banner--success")
    banner.wait_for()
    assert f"Invitation sent to {EMAIL}" in banner.inner_text()
    assert "Invited: Sam Sergeant" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    [email] = mail.outbox
    assert email.to == [EMAIL]
    link = link_in(email, live_server, "invitations")

    # The invited person, in their own browser.
    lead = new_page(browser)
    lead.goto(link)
    assert lead.title() == "Accept your invitation – JTAI Tracker"
    assert (
        "Agency lead for Cleveland Police in Stockton-on-Tees" in lead.locator("main").inner_text()
    )
    assert_no_axe_violations(lead)
    lead.get_by_label("Password", exact=True).fill("too-short")
    lead.get_by_label("Confirm password").fill("too-short")
    lead.get_by_role("button", name="Set password and accept").click()
    lead.locator(".govuk-error-summary").wait_for()
    assert "at least 12 characters" in lead.locator(".govuk-error-summary").inner_text()
    assert lead.get_by_label("First name").input_value() == "Sam"
    assert_no_axe_violations(lead)
    lead.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    lead.get_by_label("Confirm password").fill(NEW_PASSWORD)
    lead.get_by_role("button", name="Set password and accept").click()
    lead.wait_for_url(f"{live_server.url}/login/")
    assert "You are now Agency lead for Cleveland Police" in lead.locator("main").inner_text()
    assert_no_axe_violations(lead)

    login(lead, live_server, EMAIL, NEW_PASSWORD)
    assert lead.url == f"{live_server.url}/tasks/"
    lead.get_by_role("table", name="Actions for Cleveland Police").get_by_role(
        "link", name=TASK, exact=True
    ).click()
    lead.get_by_role("button", name="Update this task").click()
    lead.get_by_label("What has been done?").fill("Caseload audit started by Sam")
    lead.get_by_role("button", name="Preview your update").click()
    lead.get_by_role("button", name="Save update").click()
    lead.wait_for_url(f"{live_server.url}/tasks/{demo.pk}/")
    assert "Your update has been saved" in lead.locator(".govuk-notification-banner").inner_text()
    assert (
        "Sam Sergeant, Cleveland Police" in lead.locator(".app-history__entry").first.inner_text()
    )
    # The link worked once.
    response = lead.goto(link)
    assert response.status == 404
    assert_no_axe_violations(lead)
    close_page(lead)

    # Back on the People page: the new lead, and what happened, in the history.
    page.reload()
    main = page.locator("main").inner_text()
    assert "Accepted the invitation: Sam Sergeant" in main
    assert "No invitations are waiting" in main
    membership = Membership.objects.get(user__email=EMAIL)
    row = page.locator(f"#membership-{membership.pk}")
    row.get_by_role("link", name=re.compile("^Change role")).click()
    page.get_by_role("heading", name="Change the role of Sam Sergeant").wait_for()
    assert_no_axe_violations(page)
    page.get_by_label("Board member").check()
    page.get_by_role("button", name="Change role").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    assert "Role changed: Sam Sergeant" in page.locator("main").inner_text()
    page.locator(f"#membership-{membership.pk}").get_by_role(
        "link", name=re.compile("^Remove")
    ).click()
    page.get_by_role("heading", name="Remove Sam Sergeant's role?").wait_for()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Remove role").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    assert not Membership.objects.filter(user__email=EMAIL).exists()
    assert_no_axe_violations(page)


def test_someone_who_forgot_their_password_resets_it_by_email(page, live_server, demo):
    get_user_model().objects.filter(username="police.lead").update(email="pat@example.org")

    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send the link").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.title() == "Error: Reset your password – JTAI Tracker"
    assert_no_axe_violations(page)
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_no_axe_violations(page)

    [email] = mail.outbox
    page.goto(link_in(email, live_server, "password-reset"))
    page.get_by_role("heading", name="Choose a new password").wait_for()
    assert_no_axe_violations(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill("something-else-entirely")
    page.get_by_role("button", name="Set new password").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "didn’t match" in page.locator(".govuk-error-summary").inner_text()
    assert_no_axe_violations(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    page.get_by_role("heading", name="Your password has been set").wait_for()
    assert_no_axe_violations(page)

    login(page, live_server, "police.lead", NEW_PASSWORD)
    assert page.url == f"{live_server.url}/tasks/"
    page.get_by_role("link", name="Change password").click()
    page.get_by_role("heading", name="Change your password").wait_for()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Change password").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_no_axe_violations(page)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_locked_out_sign_in_says_so(page, live_server, demo):
    page.goto(f"{live_server.url}/login/")
    for _ in range(3):
        page.get_by_label("Username").fill("police.lead")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        page.locator(".govuk-error-summary").wait_for()
    page.get_by_label("Username").fill("police.lead")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Too many failed attempts to sign in" in summary.inner_text()
    assert page.url.startswith(f"{live_server.url}/login/")
    assert_no_axe_violations(page)
