"""Working out and sending today's reminders, each at most once.

`send_reminders()` is safe to run any number of times a day: every email is recorded
in `SentReminder` under a key naming what it was about, in the same transaction as it
is sent, and a key already recorded for a person is never sent to them again. Run it
daily (the worker's scheduled job, or cron calling `manage.py send_reminders`).

- Before a board meeting (from REMINDER_WORKING_DAYS working days before it until the
  day itself): each lead gets one email listing their key tasks of that area not
  updated since the last meeting, and their future actions due by the meeting or
  overdue; each plan manager gets a digest of who has not updated.
- The day after a future action's target date passes (or within a week, should the
  job not have run that day): its leads get an overdue notice.
- 20, 10 and 5 working days before a written statement is due (for an inspection with
  no final plan yet): the area's plan managers are reminded. These cannot be turned off.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string

from inspections import clock
from inspections.models import Area, BoardMeeting, Inspection
from inspections.workdays import working_days_between

from ..models import ActionPlan, FutureAction, KeyTask, Lead, stale_condition
from ..ratings import close_of
from .models import SentReminder
from .recipients import Preferences, board_members, leads_by_user, plan_managers

STATEMENT_REMINDER_DAYS = (20, 10, 5)
# How far back an overdue notice still goes out, should the daily run have been missed.
OVERDUE_NOTICE_DAYS = 7


@dataclass
class Sent:
    """What one run sent, by kind: for the command's output and the tests."""

    counts: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, kind):
        self.counts[kind] += 1

    def __str__(self):
        if not self.counts:
            return "No reminders to send."
        return ", ".join(f"{n} {kind}" for kind, n in sorted(self.counts.items()))


def send_reminders(today=None) -> Sent:
    today = today or clock.today()
    sent = Sent()
    preferences = Preferences()
    for meeting in _meetings_in_window(today):
        _before_meeting(meeting, today, preferences, sent)
    _overdue_notices(today, preferences, sent)
    _statement_deadlines(today, sent)
    return sent


def _send_once(user, keys, subject, template, context) -> bool:
    """Send one email and record its keys, all or nothing; False if any key was already
    recorded (another run got there first), so nothing is sent twice."""
    try:
        with transaction.atomic():
            now = clock.now()
            SentReminder.objects.bulk_create(
                [SentReminder(user=user, key=key, sent_at=now) for key in keys]
            )
            body = render_to_string(
                template, {**context, "user": user, "site_url": settings.SITE_URL}
            )
            send_mail(subject, body, None, [user.email])
    except IntegrityError:
        return False
    return True


def _already_sent(user, keys) -> set:
    return set(SentReminder.objects.filter(user=user, key__in=keys).values_list("key", flat=True))


# Before a board meeting


def _meetings_in_window(today):
    horizon = today + timedelta(days=settings.REMINDER_WORKING_DAYS * 2 + 14)
    meetings = BoardMeeting.objects.filter(date__gte=today, date__lte=horizon).select_related(
        "area"
    )
    return [
        m
        for m in meetings.order_by("date", "pk")
        if working_days_between(today, m.date) <= settings.REMINDER_WORKING_DAYS
    ]


def _area_tasks(area):
    """The area's key tasks in force: a withdrawn task is no one's work any more."""
    leads = Lead.objects.prefetch_related("agencies").order_by("position")
    return (
        KeyTask.objects.in_force()
        .filter(section__plan__inspection__area=area)
        .prefetch_related(Prefetch("leads", queryset=leads))
    )


def _before_meeting(meeting, today, preferences, sent):
    area = meeting.area
    last = BoardMeeting.objects.filter(area=area, date__lt=meeting.date).order_by("-date").first()
    since = close_of(last.date) if last else None
    partner_ids = set(area.agencies.values_list("pk", flat=True))
    tasks = list(
        _area_tasks(area)
        .filter(stale_condition(since))
        .select_related("section__plan")
        .order_by("section__plan", "section__position", "position")
    )
    due = list(
        FutureAction.objects.filter(
            task__section__plan__inspection__area=area,
            task__withdrawn_at__isnull=True,
            status=FutureAction.Status.OPEN,
            target_date__lte=meeting.date,
        )
        .select_related("task__section__plan")
        .prefetch_related(
            Prefetch("task__leads", queryset=Lead.objects.prefetch_related("agencies"))
        )
        .order_by("target_date", "task__section__position", "task__position", "position")
    )
    context = {"meeting": meeting, "area": area, "last": last, "today": today}
    key = f"meeting:{meeting.pk}"
    for user, agencies in leads_by_user(area.pk).items():
        if not preferences.wants(user, "meeting_reminders") or _already_sent(user, [key]):
            continue
        mine = [t for t in tasks if t.lead_agency_ids(partner_ids) & agencies]
        actions = [a for a in due if a.task.lead_agency_ids(partner_ids) & agencies]
        if not mine and not actions:
            continue
        for action in actions:
            action.overdue = action.is_overdue(today)
        subject = f"Update your key tasks before the {area.name} board meeting on {meeting.date:%-d %B %Y}"
        if _send_once(
            user,
            [key],
            subject,
            "emails/meeting_reminder.txt",
            {**context, "tasks": mine, "actions": actions},
        ):
            sent.add("meeting reminders")
    key = f"digest:{meeting.pk}"
    awaiting = list(_area_tasks(area).awaiting_confirmation().select_related("section__plan"))
    for user in plan_managers(area.pk):
        if not preferences.wants(user, "update_digests") or _already_sent(user, [key]):
            continue
        subject = (
            f"Who has not updated before the {area.name} board meeting on {meeting.date:%-d %B %Y}"
        )
        if _send_once(
            user,
            [key],
            subject,
            "emails/update_digest.txt",
            {**context, "tasks": tasks, "awaiting": awaiting},
        ):
            sent.add("update digests")


# Overdue future actions


def _overdue_notices(today, preferences, sent):
    actions = (
        FutureAction.objects.filter(
            status=FutureAction.Status.OPEN,
            task__withdrawn_at__isnull=True,
            target_date__lt=today,
            target_date__gte=today - timedelta(days=OVERDUE_NOTICE_DAYS),
        )
        .select_related("task__section__plan__inspection__area")
        .prefetch_related(
            Prefetch("task__leads", queryset=Lead.objects.prefetch_related("agencies"))
        )
        .order_by("target_date", "pk")
    )
    by_area = defaultdict(list)
    for action in actions:
        by_area[action.task.section.plan.inspection.area].append(action)
    for area, area_actions in by_area.items():
        partner_ids = set(area.agencies.values_list("pk", flat=True))
        for user, agencies in leads_by_user(area.pk).items():
            if not preferences.wants(user, "overdue_notices"):
                continue
            mine = {
                f"overdue:{a.pk}:{a.target_date.isoformat()}": a
                for a in area_actions
                if a.task.lead_agency_ids(partner_ids) & agencies
            }
            for key in _already_sent(user, list(mine)):
                del mine[key]
            if not mine:
                continue
            subject = (
                "A target date has passed"
                if len(mine) == 1
                else f"{len(mine)} target dates have passed"
            ) + f" ({area.name})"
            if _send_once(
                user,
                list(mine),
                subject,
                "emails/overdue_notice.txt",
                {"area": area, "actions": list(mine.values()), "today": today},
            ):
                sent.add("overdue notices")


# The written statement's deadline


def _statement_deadlines(today, sent):
    # Once the statement has gone to the inspectorates there is no deadline to remind of.
    final = ActionPlan.objects.filter(
        status__in=[ActionPlan.Status.SUBMITTED, ActionPlan.Status.CLOSED]
    )
    inspections = (
        Inspection.objects.exclude(plans__in=final)
        .filter(report_received__lte=today)
        .select_related("area")
    )
    for inspection in inspections:
        due = inspection.statement_due
        if due < today:
            continue
        remaining = working_days_between(today, due)
        reached = [days for days in STATEMENT_REMINDER_DAYS if remaining <= days]
        if not reached:
            continue
        days = min(reached)
        key = f"statement:{inspection.pk}:{days}"
        for user in plan_managers(inspection.area_id):
            if _already_sent(user, [key]):
                continue
            subject = (
                f"The written statement of action for {inspection.area.name} is due "
                f"in {remaining} working day{'s' if remaining != 1 else ''}"
            )
            if _send_once(
                user,
                [key],
                subject,
                "emails/statement_deadline.txt",
                {"inspection": inspection, "remaining": remaining, "due": due},
            ):
                sent.add("statement deadline reminders")


def notify_board_pack_ready(pack) -> int:
    """Email the area's board members a link to a finished board pack (once each)."""
    preferences = Preferences()
    area = Area.objects.get(pk=pack.plan.inspection.area_id)
    count = 0
    for user in board_members(area.pk):
        if not preferences.wants(user, "board_packs"):
            continue
        subject = f"The board pack for the {area.name} board meeting on {pack.meeting.date:%-d %B %Y} is ready"
        if _send_once(
            user,
            [f"board-pack:{pack.pk}"],
            subject,
            "emails/board_pack_ready.txt",
            {"pack": pack, "area": area},
        ):
            count += 1
    return count
