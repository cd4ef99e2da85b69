"""The demo command: demo logins only with DEBUG, and invented progress marked as such."""

import pytest
from django.core.management import CommandError, call_command

from actionplans.models import KeyTask, TaskUpdate
from inspections.models import BoardMeeting, Membership


def test_seed_demo_creates_logins_for_every_agency_and_sample_progress(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", "--sample-progress")
    out = capsys.readouterr().out
    assert "stockton-demo-2018" in out
    leads = Membership.objects.filter(role="lead")
    assert leads.count() == 10
    # Each lead leads for their agency in Stockton, a partner area of it.
    assert all(lead.area.agencies.filter(pk=lead.agency_id).exists() for lead in leads)
    # Plan managers work in the app; the admin is for superusers.
    manager = Membership.objects.get(role="manager").user
    assert not manager.is_staff and not manager.is_superuser
    assert not manager.user_permissions.exists()
    assert Membership.objects.filter(role="board").count() == 1
    assert Membership.objects.filter(role="manager").count() == 1
    assert BoardMeeting.objects.count() == 3
    # Every task rated, except one the police lead proposed as completed: it awaits the
    # plan manager's confirmation (a lead's "completed" is a proposal).
    assert KeyTask.objects.exclude(rag="").count() == 24
    assert KeyTask.objects.awaiting_confirmation().count() == 1
    assert all("Sample data" in u.reason for u in TaskUpdate.objects.all())
    # Running it again changes nothing.
    count = TaskUpdate.objects.count()
    call_command("seed_demo", "--sample-progress")
    assert TaskUpdate.objects.count() == count


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="never in production"):
        call_command("seed_demo")
    assert not Membership.objects.exists()
