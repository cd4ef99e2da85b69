"""The "Export PDF" of a quiet plan: served as marked current without reading the plan's
rows, and never stale: every change the app makes to what the PDF shows unmarks it.

The changes run inside `django_capture_on_commit_callbacks(execute=True)`: a plan is
unmarked when the change commits, as in production (a test's own transaction never
commits). The test run's "immediate" jobs backend renders a PDF inside the export.
"""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from actionplans.editing import services as editing
from actionplans.evidence.services import add_evidence
from actionplans.exports import current, pdf
from actionplans.exports.docx import render_plan_docx
from actionplans.imports.merge import apply_import
from actionplans.imports.services import read_plan
from actionplans.models import ActionPlan, KeyTask, PlanSection
from actionplans.services import TaskChange, record_update
from inspections import clock
from inspections.letters.result import LetterFinding
from inspections.letters.services import add_findings
from inspections.models import Agency, Finding

from .test_export_pdf import CONTENT_VERSION_QUERIES, EXPORT_QUERIES, page_texts, read


def export(client, plan) -> bytes:
    response = client.get(reverse("plan_export_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def text(data: bytes) -> str:
    return " ".join(page_texts(read(data)))


def fresh(plan) -> ActionPlan:
    return ActionPlan.objects.select_related("inspection__area").get(pk=plan.pk)


def first_task(plan) -> KeyTask:
    return KeyTask.objects.filter(section__plan=plan).order_by("section__position", "position")[0]


def plan_version(plan) -> int:
    return ActionPlan.objects.values_list("version", flat=True).get(pk=plan.pk)


# The changes, each through the code that makes it in the app (services, the admin's
# saves, the many-to-many managers); the first two return words the new PDF shows.


def task_update(plan, user):
    task = first_task(plan)
    record_update(
        task_id=task.pk,
        user=user,
        expected_version=task.version,
        change=TaskChange(rag="red", reason="Behind", new_actions=["Met the head teachers"]),
    )
    return "Met the head teachers"


def introduction(plan, user):
    editing.edit_details(
        plan_id=plan.pk,
        user=user,
        expected_version=plan_version(plan),
        details={},
        introduction=[("Introduction", "An opening paragraph written today.")],
    )
    return "An opening paragraph written today."


def section_title(plan, user):
    section = plan.sections.order_by("position").first()
    editing.edit_section(
        section_id=section.pk,
        user=user,
        expected_version=plan_version(plan),
        title="Actions for every partner",
        whole_partnership=section.whole_partnership,
        agency_ids=list(section.agencies.values_list("pk", flat=True)),
    )


def evidence(plan, user):
    add_evidence(
        task=first_task(plan), user=user, note="Audit of referrals", url="https://example.org/a"
    )


def word_import(plan, user):
    parsed = read_plan(render_plan_docx(plan), plan.inspection)
    parsed.sections[0].tasks[0].description = "A key task reworded in Word"
    apply_import(
        plan_id=plan.pk,
        parsed=parsed,
        user=user,
        expected_version=plan_version(plan),
        filename="plan.docx",
    )


def task_finding_linked(plan, user):
    task = first_task(plan)
    task.findings.add(*plan.inspection.findings.exclude(pk__in=task.findings.all()))


def finding_tasks_cleared(plan, user):
    """From the finding's side of the link, as the admin could."""
    finding = Finding.objects.filter(tasks__section__plan=plan).order_by("pk").first()
    finding.tasks.clear()


def letter_findings_added(plan, user):
    """Written in bulk (no post_save): the letters' service says so with its own signal."""
    finding = LetterFinding(kind=Finding.Kind.IMPROVEMENT, text="Strengthen the front door.")
    add_findings(user=user, inspection=plan.inspection, findings=[finding])


def section_agencies(plan, user):
    section = plan.sections.order_by("position").last()
    section.agencies.add(Agency.objects.create(name="A new partner", kind=Agency.Kind.COUNCIL))


def agency_sections(plan, user):
    """From the agency's side of the link."""
    agency = Agency.objects.filter(plan_sections__plan=plan).order_by("pk").first()
    agency.plan_sections.clear()


def area(plan, user):
    area = plan.inspection.area
    area.partnership_name = "Stockton Children's Partnership"
    area.save()


def inspectorates(plan, user):
    plan.inspection.inspectorates.remove(plan.inspection.inspectorates.order_by("pk").first())


CHANGES = {
    "a task's progress (services)": task_update,
    "the introduction (bulk)": introduction,
    "a section's title": section_title,
    "evidence": evidence,
    "a Word import": word_import,
    "a task's findings": task_finding_linked,
    "a finding's tasks": finding_tasks_cleared,
    "findings from a letter (bulk)": letter_findings_added,
    "a section's agencies": section_agencies,
    "an agency's sections": agency_sections,
    "the area": area,
    "the inspectorates": inspectorates,
}


@pytest.fixture
def jobs_wait(settings):
    """Jobs are queued and left (django-tasks' dummy backend): an export of a PDF that is
    not rendered yet answers with the progress page instead of rendering it."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_after_an_export_means_the_next_export_is_not_the_old_pdf(
    change, jobs_wait, client, board_member, plan_manager, stockton,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    old = pdf.render_plan_pdf(stockton)  # rendered (or found: same content) and marked
    old_key = pdf.cache_key(stockton)
    client.force_login(board_member)
    assert export(client, stockton) == old
    with django_capture_on_commit_callbacks(execute=True):
        CHANGES[change](stockton, plan_manager)
    assert pdf.cache_key(fresh(stockton)) != old_key  # the PDF would show the change
    # The PDF of the plan as it is now is not rendered yet: the reader waits for it.
    response = client.get(reverse("plan_export_pdf", args=[stockton.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_export_pdf_progress", args=[stockton.pk])


def test_a_change_after_an_export_is_in_the_next_export(
    client, board_member, plan_manager, stockton, django_capture_on_commit_callbacks
):
    client.force_login(board_member)
    first = export(client, stockton)
    with django_capture_on_commit_callbacks(execute=True):
        shown = introduction(stockton, plan_manager)
    second = export(client, stockton)  # rendered by the "immediate" jobs backend
    assert shown in text(second) and shown not in text(first)


def test_a_quiet_plan_is_served_without_reading_the_plan(
    client, board_member, stockton, django_assert_num_queries
):
    client.force_login(board_member)
    first = export(client, stockton)
    # The door only (session, user, their roles, the plan): no row of the plan is read.
    with django_assert_num_queries(EXPORT_QUERIES + 1):
        assert export(client, stockton) == first
    with django_assert_num_queries(EXPORT_QUERIES + 1):
        assert export(client, stockton) == first


def test_a_change_made_outside_the_app_shows_once_the_mark_times_out(
    settings, client, board_member, stockton, django_assert_num_queries
):
    """SQL sends no signal: the mark lasts EXPORT_CURRENT_SECONDS, then the content
    version is worked out again (and marked again for the next export)."""
    client.force_login(board_member)
    first = export(client, stockton)
    KeyTask.objects.filter(pk=first_task(stockton).pk).update(description="Changed by SQL")
    assert export(client, stockton) == first  # still marked current
    later = timedelta(seconds=settings.EXPORT_CURRENT_SECONDS + 1)
    with freeze_time(timezone.now() + later, tick=True):
        second = export(client, stockton)
        with django_assert_num_queries(EXPORT_QUERIES + 1):
            assert export(client, stockton) == second
        with freeze_time(timezone.now() + later, tick=True):
            client.get("/healthz/")  # the session's idle timer, moved on after the jump
            # Unchanged: the content version is worked out, its PDF found and marked.
            with django_assert_num_queries(EXPORT_QUERIES + 1 + CONTENT_VERSION_QUERIES):
                assert export(client, stockton) == second
            with django_assert_num_queries(EXPORT_QUERIES + 1):
                assert export(client, stockton) == second
    assert "Changed by SQL" in text(second)


def test_a_render_that_read_the_plan_before_a_change_does_not_mark_its_pdf_current(
    client, board_member, plan_manager, stockton, django_capture_on_commit_callbacks
):
    """A render reads the rows, a change commits while it lays them out, and then it
    marks what it read: the mark carries the stamp from before the change, so it is not
    taken for current."""
    client.force_login(board_member)
    export(client, stockton)
    version = pdf.current_version(stockton)  # the render starts: stamp, then rows
    with django_capture_on_commit_callbacks(execute=True):
        shown = task_update(stockton, plan_manager)  # a change commits meanwhile
    current.mark(version)  # the render finishes
    assert shown in text(export(client, stockton))


def test_a_new_day_is_a_new_pdf(settings, client, board_member, stockton):
    """The document shows dates (the day it is as at, overdue targets): a mark is for
    one day."""
    client.force_login(board_member)
    settings.DEMO_DATE = clock.today()
    first = export(client, stockton)
    settings.DEMO_DATE += timedelta(days=1)
    second = export(client, stockton)
    assert second != first
    assert caches["exports"].get(pdf.cache_key(stockton)) == second


def test_a_rolled_back_change_and_other_plans_changes_leave_the_pdf_current(
    client, board_member, plan_manager, stockton, django_capture_on_commit_callbacks,
    django_assert_num_queries,
):  # fmt: skip
    """Noting reads which plans the changed rows belong to: only theirs are unmarked. A
    change rolled back is forgotten with its transaction."""
    from tests.synthetic import synthetic_plan

    other = synthetic_plan(3, dense=False)
    client.force_login(board_member)
    first = export(client, stockton)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            task_update(stockton, plan_manager)
            raise RuntimeError("the write failed")
        section = PlanSection.objects.filter(plan=other).first()
        section.title = "Renamed"
        section.save()
    with django_assert_num_queries(EXPORT_QUERIES + 1):
        assert export(client, stockton) == first
