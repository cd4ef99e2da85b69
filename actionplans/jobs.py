"""Background work of the plans, run by the jobs worker (Django's Tasks API).

In this domain a "task" is a key task, so these are called jobs. Each calls the same
service a view or a command would.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from .boardpacks.build import build_pack
from .reminders.sending import send_reminders

# The reminders' scheduled job runs at this local time each day.
REMINDERS_AT = time(7, 0)


@task()
def make_board_pack(pack_id: int) -> str:
    pack = build_pack(pack_id)
    return pack.status


@task()
def send_reminders_job() -> str:
    """Send today's reminders once (the same as `manage.py send_reminders`)."""
    return str(send_reminders())


@task()
def send_reminders_daily() -> str:
    """Send today's reminders, then queue this job again for tomorrow at REMINDERS_AT:
    the worker itself keeps the schedule. `manage.py send_reminders --schedule` starts it.
    Running it twice is harmless (each reminder is sent once), but only one chain is
    needed; cron calling `manage.py send_reminders` is the alternative."""
    result = str(send_reminders())
    schedule_reminders()
    return result


def next_reminders_run(now: datetime | None = None) -> datetime:
    """The next REMINDERS_AT by the real clock (the worker's), even in a demo running at
    another date: a demo date in the past would make the job due at once, forever."""
    now = timezone.localtime(now or timezone.now())
    day = now.date() if now.time() < REMINDERS_AT else now.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, REMINDERS_AT))


def schedule_reminders():
    """Queue the next daily run of the reminders; None where the jobs backend cannot
    run a job later (the immediate backend of the tests and of no worker).

    On the database backend a run already waiting is left alone, so starting the demo
    (or the command) again does not start a second daily chain.
    """
    backend = send_reminders_daily.get_backend()
    if not backend.supports_defer:
        return None
    waiting = _waiting_run(backend)
    if waiting is not None:
        return waiting
    return send_reminders_daily.using(run_after=next_reminders_run()).enqueue()


def _waiting_run(backend):
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(backend, DatabaseBackend):
        return None  # RQ keeps its schedule in Redis; run the command once, or use cron
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=send_reminders_daily.module_path
    ).first()
    return waiting.task_result if waiting else None
