"""Accounts: password policy, change and reset; sign-in lockout; the idle session timeout."""

import logging
import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inspections.people.accounts import LAST_REFRESH

from .conftest import PASSWORD

NEW_PASSWORD = "plum-orchard-lantern-42"


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


# -- passwords ---------------------------------------------------------------------------


def test_password_change_applies_the_policy_then_changes_the_password(client, police_lead):
    client.force_login(police_lead)
    url = reverse("password_change")
    assert "Change your password" in client.get(url).content.decode()
    for new, message in [
        ("eleven-char", "at least 12 characters"),
        ("password1234", "too common"),
        ("police.lead.2018", "too similar to the username"),
        ("123456789012345", "entirely numeric"),
    ]:
        response = client.post(
            url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html and "There is a problem" in html
    response = client.post(
        url, {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    police_lead.refresh_from_db()
    assert police_lead.check_password(PASSWORD)

    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    police_lead.refresh_from_db()
    assert police_lead.check_password(NEW_PASSWORD)
    # Still signed in on this browser.
    assert client.get(reverse("home")).status_code == 200


def test_password_reset_emails_a_single_use_link(client, police_lead):
    police_lead.email = "pat@cleveland.police.uk"
    police_lead.save()
    response = client.post(reverse("password_reset"), {"email": "pat@cleveland.police.uk"})
    assert response["Location"] == reverse("password_reset_done")
    [email] = mail.outbox
    assert email.to == ["pat@cleveland.police.uk"]
    assert email.subject == "JTAI Tracker: reset your password"
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", email.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert "at least 12 characters" in response.content.decode()
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")
    police_lead.refresh_from_db()
    assert police_lead.check_password(NEW_PASSWORD)
    # Used once, the link is dead.
    assert "This link cannot be used" in client.get(link, follow=True).content.decode()


def test_password_reset_says_the_same_for_an_unknown_address(client, police_lead):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert not mail.outbox


# -- lockout -----------------------------------------------------------------------------


def test_after_five_failures_even_the_right_password_is_refused_with_a_message(
    client, police_lead, caplog
):
    caplog.set_level(logging.INFO, logger="axes")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "police.lead", "not-the-password")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    response = sign_in(client, "police.lead", "not-the-password")
    assert response.status_code == 429

    response = sign_in(client, "police.lead", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed attempts to sign in" in html
    assert "blocked for 15 minutes" in html
    assert "There is a problem" in html and "Error: Sign in" in html
    assert "_auth_user_id" not in client.session
    # Failures are logged with the username tried, never the password.
    failures = [r.getMessage() for r in caplog.records if "login failure" in r.getMessage()]
    assert len(failures) >= settings.AXES_FAILURE_LIMIT
    assert all("police.lead" in message for message in failures)
    assert "not-the-password" not in caplog.text and PASSWORD not in caplog.text


def test_the_lockout_is_for_the_username_not_for_everyone(client, police_lead, council_lead):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "police.lead", "not-the-password")
    assert sign_in(client, "council.lead", PASSWORD).status_code == 302


def test_a_success_before_the_limit_clears_the_failures(client, police_lead):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "police.lead", "not-the-password")
    assert sign_in(client, "police.lead", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "police.lead", "not-the-password")
    assert sign_in(client, "police.lead", PASSWORD).status_code == 302


def test_a_password_reset_by_email_ends_the_lockout(client, police_lead):
    police_lead.email = "pat@cleveland.police.uk"
    police_lead.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "police.lead", "not-the-password")
    assert sign_in(client, "police.lead", PASSWORD).status_code == 429

    client.post(reverse("password_reset"), {"email": "pat@cleveland.police.uk"})
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert sign_in(client, "police.lead", NEW_PASSWORD).status_code == 302


# -- sessions ----------------------------------------------------------------------------


def test_sessions_end_with_the_browser_and_after_two_idle_hours(client, police_lead):
    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    response = sign_in(client, "police.lead", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    session = Session.objects.get(session_key=cookie.value)
    idle = (session.expire_date - timezone.now()).total_seconds()
    assert 2 * 3600 - 60 < idle <= 2 * 3600


def test_activity_pushes_the_end_of_the_session_back(client, police_lead):
    sign_in(client, "police.lead", PASSWORD)
    key = client.session.session_key
    session = client.session
    session[LAST_REFRESH] = int(time.time()) - 600  # last seen ten minutes ago
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timezone.timedelta(seconds=600)
    )
    assert client.get(reverse("home")).status_code == 200
    expire = Session.objects.get(session_key=key).expire_date
    assert (expire - timezone.now()).total_seconds() > 2 * 3600 - 60


def test_an_idle_session_is_signed_out(client, police_lead):
    sign_in(client, "police.lead", PASSWORD)
    session = client.session
    session[LAST_REFRESH] = int(time.time()) - 2 * 3600 - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("seconds", ["900"])
def test_the_idle_timeout_is_configurable(seconds):
    from .test_settings import run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)",
        JTAI_TESTING="1",
        JTAI_SESSION_IDLE_SECONDS=seconds,
    )
    assert result.stdout.strip().splitlines()[-1] == seconds
