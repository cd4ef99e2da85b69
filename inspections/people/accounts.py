"""Accounts: what happens around signing in that Django and django-axes do not decide.

- The lockout: after too many failed sign-ins for one username, django-axes refuses
  even the right password for a while (settings: AXES_*). `locked_out` shows that on
  the sign-in page, in words, instead of a bare 429. Failures are logged by axes.
- A password reset by email lifts the lockout: whoever can read the account's email
  has proved who they are (`PasswordResetConfirmView`).
- The idle timeout: a session ends after SESSION_COOKIE_AGE seconds without a
  request (JTAI_SESSION_IDLE_SECONDS) and when the browser closes. Activity pushes
  the end back; to spare a database write on every page, at most once a minute.
"""

import time

from axes.utils import reset as reset_failed_sign_ins
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

LAST_REFRESH = "jtai_activity"
REFRESH_EVERY_SECONDS = 60


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page again, with the lockout as its error (django-axes calls this)."""
    form = AuthenticationForm(request, data=request.POST or None)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form.errors.clear()
    form.add_error(
        None,
        "Too many failed attempts to sign in with this username. For your security, "
        f"signing in is blocked for {minutes} minutes. Try again later, or reset your password.",
    )
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next", ""), "locked_out": True},
        status=429,
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's "choose a new password" page; setting it also ends a lockout."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_failed_sign_ins(username=form.user.get_username())
        return response


def note_sign_in(sender, request, user, **kwargs):
    """Start the idle clock at sign-in (connected to `user_logged_in`)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_REFRESH] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Push a signed-in session's expiry back on activity; end it once idle too long.

    Database sessions expire on their own at SESSION_COOKIE_AGE after their last save;
    saving the session (by touching it) moves that on. The explicit check covers
    session engines that do not expire by themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_REFRESH)
            if last is not None and now - last > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif last is None or now - last >= REFRESH_EVERY_SECONDS:
                request.session[LAST_REFRESH] = now
        return self.get_response(request)
