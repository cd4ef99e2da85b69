"""Reminders with a test outbox: before a board meeting each lead gets exactly their own
stale tasks and due future actions, each plan manager a digest of who has not updated;
overdue notices and statement deadline reminders go out once; a second run sends
nothing; each person's choices are kept (deadline reminders excepted)."""

import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from actionplans.editing.services import remove_task
from actionplans.models import ActionPlan, EmailPreferences, FutureAction, KeyTask, SentReminder
from actionplans.reminders.sending import send_reminders
from actionplans.services import TaskChange, record_update
from inspections.access import area_lead_memberships
from inspections.models import Agency, Area, BoardMeeting, Inspection, Membership
from inspections.workdays import add_working_days

TODAY = date(2018, 6, 25)  # a Monday; the meeting is 8 working days later
MEETING = date(2018, 7, 5)
LAST_MEETING = date(2018, 4, 12)

TASK_LINK = re.compile(r"/tasks/(\d+)/")


@pytest.fixture
def today(settings):
    settings.DEMO_DATE = TODAY
    settings.SITE_URL = "https://tracker.example.org"
    return TODAY


def moment(day):
    return timezone.make_aware(datetime.combine(day, time(10)))


@pytest.fixture
def cycle(stockton, today, police_lead, council_lead, plan_manager, board_member):
    """Stockton before its July meeting: one police task updated since April's meeting,
    a police future action due before the meeting, one overdue since June, one whose
    target passed last week and one due after the meeting."""
    for user in (police_lead, council_lead, plan_manager, board_member):
        user.email = f"{user.username}@example.org"
        user.save()
    area = stockton.inspection.area
    BoardMeeting.objects.create(area=area, date=LAST_MEETING)
    meeting = BoardMeeting.objects.create(area=area, date=MEETING, title="LSCB")
    police = Agency.objects.get(name="Cleveland Police")
    police_tasks = KeyTask.objects.led_by_agency(police.pk).order_by("pk")
    updated = police_tasks.get(description__startswith="Review capacity in the PVP")
    record_update(
        task_id=updated.pk,
        user=police_lead,
        expected_version=updated.version,
        change=TaskChange(new_actions=["Two sergeants appointed"]),
        at=moment(date(2018, 5, 10)),
    )
    section_tasks = list(
        police_tasks.filter(section__title__contains="Police").exclude(pk=updated.pk)
    )
    overdue = FutureAction.objects.create(
        task=section_tasks[0],
        position=9,
        text="Audit SAFER referrals",
        target_date=date(2018, 6, 1),
    )
    last_week = FutureAction.objects.create(
        task=section_tasks[1],
        position=9,
        text="Train the PVP on flags",
        target_date=date(2018, 6, 22),
    )
    FutureAction.objects.create(
        task=section_tasks[2], position=9, text="Review in autumn", target_date=date(2018, 8, 31)
    )
    return {
        "meeting": meeting,
        "updated": updated,
        "police_tasks": set(police_tasks.values_list("pk", flat=True)),
        "overdue": overdue,
        "last_week": last_week,
    }


def emails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def section(body, heading):
    """The lines of an email body from a heading up to the next blank-line paragraph."""
    start = body.index(heading)
    rest = body[start:].split("\n\n", 1)[0]
    return rest


def test_before_a_meeting_a_lead_and_a_plan_manager_get_exactly_their_reminders(
    cycle, police_lead, council_lead, plan_manager, board_member
):
    EmailPreferences.objects.create(user=council_lead, meeting_reminders=False)

    send_reminders()

    police_mail = emails_to(police_lead)
    assert sorted(m.subject for m in police_mail) == [
        "A target date has passed (Stockton-on-Tees)",
        "Update your key tasks before the Stockton-on-Tees board meeting on 5 July 2018",
    ]
    reminder = next(m for m in police_mail if m.subject.startswith("Update")).body
    # Every task the police lead leads that was not updated since April's meeting, and
    # no other: not the one updated in May, not another agency's.
    stale = reminder.split("Key tasks not updated since the last board meeting (12 April 2018):")[1]
    stale, due = stale.split("Future actions due by the meeting or overdue:")
    assert {int(pk) for pk in TASK_LINK.findall(stale)} == cycle["police_tasks"] - {
        cycle["updated"].pk
    }
    assert "https://tracker.example.org/tasks/" in stale
    # The future actions due by the meeting (30 June) or overdue, not the one due after it.
    due_texts = re.findall(r"^- (.+)$", due, flags=re.MULTILINE)
    expected_due = FutureAction.objects.filter(
        task__in=cycle["police_tasks"], status="open", target_date__lte=MEETING
    ).order_by("target_date")
    assert due_texts == [a.text[:199] + ("…" if len(a.text) > 200 else "") for a in expected_due]
    assert "Audit SAFER referrals\n  Target: 1 June 2018 (overdue)" in due
    assert "Review in autumn" not in reminder

    notice = next(m for m in police_mail if m.subject.startswith("A target")).body
    assert "Train the PVP on flags" in notice
    assert "Audit SAFER referrals" not in notice  # overdue since June 1st: not news today

    # The plan manager: one digest naming every stale task of the area and its leads.
    (digest,) = emails_to(plan_manager)
    assert digest.subject == (
        "Who has not updated before the Stockton-on-Tees board meeting on 5 July 2018"
    )
    stale_area = KeyTask.objects.filter(section__plan__inspection__area__name="Stockton-on-Tees")
    stale_area = set(stale_area.exclude(pk=cycle["updated"].pk).values_list("pk", flat=True))
    assert {int(pk) for pk in TASK_LINK.findall(digest.body)} == stale_area
    assert "24 key tasks have not been updated since the last board meeting" in digest.body
    assert "Lead(s): D. Supt. PVP" in digest.body

    # The council lead chose not to get them; board members get no reminders.
    assert [m.subject for m in emails_to(council_lead)] == []
    assert emails_to(board_member) == []
    assert len(mail.outbox) == 3

    # A second run, and a third, send nothing more.
    assert str(send_reminders()) == "No reminders to send."
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue() == "No reminders to send.\n"
    assert len(mail.outbox) == 3


def test_a_withdrawn_task_is_in_no_reminder(cycle, police_lead, plan_manager):
    """Withdrawn tasks are not live work: not stale, not due, not overdue for anyone."""
    overdue_task, last_week_task = cycle["overdue"].task, cycle["last_week"].task
    for task in (overdue_task, last_week_task):
        remove_task(
            task_id=task.pk,
            user=plan_manager,
            expected_version=ActionPlan.objects.get(pk=task.section.plan_id).version,
            reason="Replaced",
        )
        task.refresh_from_db()
        assert task.is_withdrawn  # kept, with its history

    send_reminders()

    mails = {m.subject: m.body for m in mail.outbox}
    assert not any(m.subject.startswith("A target date has passed") for m in mail.outbox)
    reminder = next(body for subject, body in mails.items() if subject.startswith("Update"))
    digest = next(body for subject, body in mails.items() if subject.startswith("Who has"))
    for body in (reminder, digest):
        linked = {int(pk) for pk in TASK_LINK.findall(body)}
        assert linked and not linked & {overdue_task.pk, last_week_task.pk}
    assert "Audit SAFER referrals" not in reminder
    assert "22 key tasks have not been updated since the last board meeting" in digest


def test_no_reminder_before_the_window_or_after_the_meeting(cycle, settings, police_lead):
    settings.DEMO_DATE = add_working_days(MEETING, 0) - timedelta(days=16)  # 11+ working days
    assert send_reminders().counts.get("meeting reminders") is None
    settings.DEMO_DATE = MEETING + timedelta(days=1)
    send_reminders()
    assert not any(m.subject.startswith("Update") for m in mail.outbox)


def test_overdue_notice_goes_once_and_again_for_a_new_date(cycle, settings, police_lead):
    EmailPreferences.objects.create(user=police_lead, meeting_reminders=False)
    send_reminders()
    assert [m.subject for m in emails_to(police_lead)] == [
        "A target date has passed (Stockton-on-Tees)"
    ]
    send_reminders()
    assert len(emails_to(police_lead)) == 1
    # Given a new date that passes too, it is news again.
    action = cycle["last_week"]
    action.target_date = date(2018, 6, 24)
    action.save()
    send_reminders()
    assert len(emails_to(police_lead)) == 2
    assert SentReminder.objects.filter(user=police_lead, key__startswith="overdue:").count() == 2


def test_a_lead_can_turn_off_overdue_notices(cycle, police_lead):
    EmailPreferences.objects.create(user=police_lead, overdue_notices=False)
    send_reminders()
    assert [m.subject for m in emails_to(police_lead)] == [
        "Update your key tasks before the Stockton-on-Tees board meeting on 5 July 2018"
    ]


@pytest.fixture
def durham(db, make_user, settings):
    """A Durham inspection without a final plan: the statement is still to be sent."""
    area = Area.objects.create(name="Durham", partnership_name="Durham Safeguarding Children")
    inspection = Inspection.objects.create(
        area=area,
        fieldwork_start=date(2018, 3, 5),
        fieldwork_end=date(2018, 3, 9),
        letter_published=date(2018, 4, 20),
        report_received=date(2018, 4, 20),
        statement_due_stated=date(2018, 8, 1),
    )
    manager = make_user("durham.manager", "manager", area=area, email="dm@example.org")
    board = make_user("durham.board", "board", area=area, email="db@example.org")
    return inspection, manager, board


@pytest.mark.parametrize(
    ("working_days_before", "expected"),
    [(21, []), (20, ["20"]), (11, ["20"]), (10, ["20", "10"]), (3, ["20", "10", "5"])],
)
def test_statement_deadline_reminders_at_20_10_and_5_working_days(
    durham, settings, working_days_before, expected
):
    inspection, manager, board = durham
    # Turning everything off does not stop a statutory deadline reminder.
    EmailPreferences.objects.create(
        user=manager,
        meeting_reminders=False,
        overdue_notices=False,
        update_digests=False,
        board_packs=False,
    )
    due = inspection.statement_due
    days = [d for d in (21, 20, 11, 10, 3) if d >= working_days_before]
    for before in days:  # the daily runs up to that day
        settings.DEMO_DATE = _working_days_before(due, before)
        send_reminders()
        send_reminders()
    sent = SentReminder.objects.filter(user=manager, key__startswith="statement:")
    assert (
        sorted((k.split(":")[2] for k in sent.values_list("key", flat=True)), key=int, reverse=True)
        == expected
    )
    assert len(mail.outbox) == len(expected)
    assert all(m.to == ["dm@example.org"] for m in mail.outbox)
    if expected:
        assert "due on Wednesday 1 August 2018" in mail.outbox[-1].body


def test_no_statement_reminder_once_the_plan_is_submitted(durham, settings):
    inspection, manager, _ = durham
    ActionPlan.objects.create(
        inspection=inspection, title="Plan", status=ActionPlan.Status.SUBMITTED
    )
    settings.DEMO_DATE = _working_days_before(inspection.statement_due, 5)
    send_reminders()
    assert mail.outbox == []


def _working_days_before(due, days):
    day = due
    while add_working_days(day, days) > due:
        day -= timedelta(days=1)
    while add_working_days(day, days) < due:
        day += timedelta(days=1)
    return day


def test_area_leads_follow_the_access_door(cycle, other_area_lead, hartlepool_police_lead):
    """Reminders go to the leads the door lets see the area: not another area's lead, nor
    a lead of the same agency (Cleveland Police) whose role is in another area."""
    area = Area.objects.get(name="Stockton-on-Tees")
    users = {m.user.username for m in area_lead_memberships(area.pk).select_related("user")}
    assert users == {"police.lead", "council.lead"}
    assert Membership.objects.filter(user=hartlepool_police_lead, role="lead").exists()
    hartlepool_police_lead.email = "hartlepool@example.org"
    hartlepool_police_lead.save()
    send_reminders()
    assert emails_to(hartlepool_police_lead) == []
