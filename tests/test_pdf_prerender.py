"""The PDF is rendered in the background: ready before anyone asks, and never in a request.

These tests queue jobs in the database (the `database` jobs backend, as deployed) and
run them with `manage.py db_worker`, as the worker process does.
"""

import json

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from actionplans.exports import pdf
from actionplans.exports.jobs import render_plan_pdf_when_quiet
from actionplans.models import KeyTask
from actionplans.services import TaskChange, record_update

from .test_export_pdf import EXPORT_QUERIES, read

# The worker closes its database connection when it is done, as a worker process does:
# each test commits its data rather than run inside a transaction the worker would end.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def queued_jobs(settings):
    """Jobs wait in the database for a worker, as in production; nothing is cached."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.EXPORT_QUIET_SECONDS = 0
    caches["exports"].clear()
    yield
    caches["exports"].clear()


# What noting a transaction's changed plans costs at commit, whatever it saved: the
# tasks' plans and the sections' plans (a query each) and queueing the one job; plus the
# transaction's BEGIN.
NOTING_QUERIES = 5


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def queued(name):
    return DBTaskResult.objects.filter(task_path__endswith=name, status="READY").count()


def update_a_task(plan, user, rag="red"):
    task = KeyTask.objects.filter(section__plan=plan).order_by("pk").first()
    record_update(
        task_id=task.pk,
        user=user,
        expected_version=task.version,
        change=TaskChange(rag=rag, reason="Behind", new_actions=["Met the schools"]),
    )


def test_a_change_queues_one_render_and_the_export_is_then_served_from_the_cache(
    client,
    board_member,
    plan_manager,
    stockton,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    with django_capture_on_commit_callbacks(execute=True):
        update_a_task(stockton, plan_manager)  # saves a task, an entry and a history row
    assert queued("render_plan_pdf_when_quiet") == 1
    run_worker()
    assert queued("render_plan_pdf_when_quiet") == 0
    client.force_login(board_member)
    # Served as it is: no document loaded, no job, no layout (+1: the board member's roles).
    with django_assert_num_queries(EXPORT_QUERIES + 1):
        response = client.get(reverse("plan_export_pdf", args=[stockton.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Met the schools" in " ".join(p.extract_text() for p in read(response.content).pages)


def test_a_plan_still_being_changed_waits_for_quiet(
    settings, plan_manager, stockton, django_capture_on_commit_callbacks
):
    settings.EXPORT_QUIET_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        update_a_task(stockton, plan_manager)
    # The worker finds the job not due yet (it waits a minute).
    run_worker()
    assert queued("render_plan_pdf_when_quiet") == 1
    # Run now, it finds the plan changed under a minute ago and waits again, one job only.
    (waiting,) = DBTaskResult.objects.filter(status="READY")
    waiting.delete()
    render_plan_pdf_when_quiet.call(stockton.pk)
    assert pdf.cached_plan_pdf(stockton) is None
    assert queued("render_plan_pdf_when_quiet") == 1
    with django_capture_on_commit_callbacks(execute=True):
        update_a_task(stockton, plan_manager, rag="amber")
    assert queued("render_plan_pdf_when_quiet") == 1
    # Once the plan has been quiet for the period, the job renders it.
    settings.EXPORT_QUIET_SECONDS = 0
    render_plan_pdf_when_quiet.call(stockton.pk)
    assert pdf.cached_plan_pdf(stockton) is not None


def test_export_of_a_plan_not_rendered_yet_shows_progress_then_the_download(
    client, board_member, stockton
):
    client.force_login(board_member)
    export = reverse("plan_export_pdf", args=[stockton.pk])
    progress = reverse("plan_export_pdf_progress", args=[stockton.pk])
    status = reverse("plan_export_pdf_status", args=[stockton.pk])

    response = client.get(export)
    assert response.status_code == 302 and response["Location"] == progress
    assert "no-store" in response["Cache-Control"]
    # Clicking again, or several readers at once, queue no second job.
    assert client.get(export).status_code == 302
    assert queued("render_plan_pdf") == 1

    html = client.get(progress).content.decode()
    assert "<h1" in html and "Preparing the PDF" in html
    assert "Waiting for the server to start on it" in html
    assert f'href="{progress}"' in html  # "Check again", without JavaScript
    assert json.loads(client.get(status).content)["state"] == "queued"

    run_worker()

    assert json.loads(client.get(status).content)["state"] == "ready"
    html = client.get(progress).content.decode()
    assert "The PDF is ready" in html and f'href="{export}"' in html
    response = client.get(export)
    assert response.status_code == 200
    assert read(response.content).metadata.title.startswith(stockton.title)


def test_the_job_renders_what_the_export_command_renders(plan_manager, stockton, tmp_path):
    """Background or on demand, it is one PDF under one key: `render_plan_pdf`."""
    call_command("export_plan", stockton.pk, "-o", str(tmp_path / "plan.pdf"), verbosity=0)
    assert pdf.cached_plan_pdf(stockton) == (tmp_path / "plan.pdf").read_bytes()


def test_linking_a_task_to_a_finding_queues_a_render(stockton, django_capture_on_commit_callbacks):
    """The annex shows which tasks answer which findings: that is a change to the PDF too."""
    task = KeyTask.objects.filter(section__plan=stockton).order_by("pk").last()
    finding = stockton.inspection.findings.exclude(pk__in=task.findings.all()).first()
    with django_capture_on_commit_callbacks(execute=True):
        task.findings.add(finding)
    assert queued("render_plan_pdf_when_quiet") == 1


def test_adding_evidence_queues_a_render(plan_manager, stockton):
    """The PDF's annex names each task's evidence: a new item is a change to the PDF."""
    from actionplans.evidence.services import add_evidence

    task = KeyTask.objects.filter(section__plan=stockton).order_by("pk").first()
    start_quiet()
    add_evidence(task=task, user=plan_manager, note="Audit report", url="https://example.org/a")
    assert queued("render_plan_pdf_when_quiet") == 1


def start_quiet():
    """Forget what loading the fixture queued (its findings links), so a test sees its own."""
    DBTaskResult.objects.all().delete()
    caches["shared"].clear()


@pytest.mark.parametrize("rows", [3, 60])
def test_many_rows_saved_in_one_transaction_cost_the_same_to_note(
    rows, stockton, django_assert_num_queries
):
    """A Word import saves hundreds of rows in one transaction: finding their plans costs
    one query per kind of row at commit, and the plan is noted (one job) once."""
    from django.db import transaction

    from actionplans.models import Lead

    tasks = list(KeyTask.objects.filter(section__plan=stockton).order_by("pk")[:3])
    start_quiet()
    # The rows' inserts and the task's update, then the fixed cost of noting the plan.
    with django_assert_num_queries(rows + 1 + NOTING_QUERIES), transaction.atomic():
        for n in range(rows):
            Lead.objects.create(task=tasks[n % 3], position=100 + n, name=f"Lead {n}")
        tasks[0].save(update_fields=["version"])
    assert queued("render_plan_pdf_when_quiet") == 1


def test_a_change_rolled_back_queues_nothing_until_a_commit(stockton):
    from django.db import transaction

    task = KeyTask.objects.filter(section__plan=stockton).order_by("pk").first()
    start_quiet()
    with pytest.raises(RuntimeError), transaction.atomic():
        task.save(update_fields=["version"])
        raise RuntimeError("the write failed")
    assert queued("render_plan_pdf_when_quiet") == 0
    task.save(update_fields=["version"])
    assert queued("render_plan_pdf_when_quiet") == 1
