"""The background jobs on the real backends: the database backend run by
`manage.py db_worker --batch`, and RQ on the Redis of this machine run by an RQ worker
in burst mode. The job sends the day's reminders, as `send_reminders` would."""

import io
import uuid
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus

from actionplans.jobs import next_reminders_run, send_reminders_daily, send_reminders_job
from actionplans.models import SentReminder
from inspections.models import BoardMeeting

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def reminder_due(stockton, settings, police_lead):
    """A meeting in a week: the police lead has a reminder to receive."""
    settings.DEMO_DATE = date(2018, 6, 25)
    police_lead.email = "police@example.org"
    police_lead.save()
    BoardMeeting.objects.create(area=stockton.inspection.area, date=date(2018, 7, 5))
    return police_lead


def database_backend():
    return override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    )


# The worker closes the database connection after each job, as a long-running worker
# should: the test cannot sit inside one transaction of that connection.
worker_db = pytest.mark.django_db(transaction=True)


@worker_db
def test_database_backend_job_is_run_by_db_worker(reminder_due):
    with database_backend():
        result = send_reminders_job.enqueue()
        assert result.status == TaskResultStatus.READY
        assert mail.outbox == []  # queued, not run
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
        result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert "1 meeting reminders" in result.return_value
    assert [m.to for m in mail.outbox if m.subject.startswith("Update")] == [["police@example.org"]]


@worker_db
def test_daily_reminders_job_queues_itself_for_tomorrow(reminder_due):
    with database_backend():
        first = send_reminders_daily.enqueue()
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
        first.refresh()
        assert first.status == TaskResultStatus.SUCCESSFUL
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        (next_run,) = waiting
        assert next_run.task_path == "actionplans.jobs.send_reminders_daily"
        assert next_run.run_after == next_reminders_run()
    assert SentReminder.objects.filter(user=reminder_due).exists()


def test_schedule_command_needs_a_backend_that_can_wait(reminder_due):
    err = io.StringIO()
    call_command("send_reminders", "--schedule", stdout=io.StringIO(), stderr=err)
    assert "cannot run jobs later" in err.getvalue()  # the tests' immediate backend
    with database_backend():
        for _ in range(2):  # starting it again does not start a second daily chain
            out = io.StringIO()
            call_command("send_reminders", "--schedule", stdout=out)
            assert out.getvalue().startswith("The reminders will run at ")
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


@pytest.fixture
def redis_queue():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: the RQ backend is not tested")
    # A queue of this test's own, so another process's worker never takes its job.
    name = f"jtai-test-{uuid.uuid4().hex[:12]}"
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}},
        # "default" too: django-rq reads results through the default queue's connection.
        RQ_QUEUES={q: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60} for q in (name, "default")},
    ):
        yield name
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def test_rq_backend_job_is_run_by_an_rq_worker_in_burst_mode(reminder_due, redis_queue):
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    result = send_reminders_job.using(queue_name=redis_queue).enqueue()
    assert result.status == TaskResultStatus.READY
    assert mail.outbox == []
    # SimpleWorker runs the job in this process (no fork), so it sees the test database.
    # The job class comes from settings.RQ, as for `manage.py rqworker`.
    worker = django_rq.get_worker(redis_queue, worker_class=SimpleWorker)
    assert worker.job_class is Job
    assert worker.work(burst=True)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert "1 meeting reminders" in result.return_value
    assert [m.to for m in mail.outbox if m.subject.startswith("Update")] == [["police@example.org"]]
