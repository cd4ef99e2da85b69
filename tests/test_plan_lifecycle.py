"""A plan's life: draft -> agreed by the board -> submitted (the PDF kept as sent) -> closed."""

import base64
import hashlib
from datetime import date

import pytest
from django.urls import reverse

from actionplans.editing import drafting, lifecycle
from actionplans.models import ActionPlan, FutureAction, KeyTask, PlanChange
from inspections.models import BoardMeeting

Status = ActionPlan.Status


@pytest.fixture
def draft(stockton, plan_manager):
    return drafting.start_plan(
        inspection=stockton.inspection, user=plan_manager, title="Draft", from_findings=True
    )


@pytest.fixture
def meeting(stockton):
    return BoardMeeting.objects.create(area=stockton.inspection.area, date=date(2018, 4, 10))


def agreed(plan, user, meeting):
    lifecycle.agree(
        plan_id=plan.pk, user=user, expected_version=plan.version, meeting_id=meeting.pk
    )
    return ActionPlan.objects.get(pk=plan.pk)


def submitted(plan, user, day=date(2018, 4, 18)):
    lifecycle.submit(plan_id=plan.pk, user=user, expected_version=plan.version, submitted_on=day)
    return ActionPlan.objects.get(pk=plan.pk)


def test_agree_records_the_meeting_and_its_history_row(draft, plan_manager, meeting):
    plan = agreed(draft, plan_manager, meeting)
    assert plan.status == Status.AGREED
    assert plan.agreed_at_meeting == meeting
    change = PlanChange.objects.filter(plan=plan).latest("pk")
    assert change.action == PlanChange.Action.AGREED
    assert change.changes == {"status": ["draft", "agreed"], "meeting": "2018-04-10"}


def test_a_meeting_of_another_area_cannot_agree_a_plan(draft, plan_manager, other_area):
    elsewhere = BoardMeeting.objects.create(area=other_area, date=date(2018, 4, 10))
    with pytest.raises(BoardMeeting.DoesNotExist):
        lifecycle.agree(
            plan_id=draft.pk, user=plan_manager, expected_version=1, meeting_id=elsewhere.pk
        )
    assert ActionPlan.objects.get(pk=draft.pk).status == Status.DRAFT


def test_submit_keeps_the_pdf_as_sent_and_it_downloads_unchanged(
    client, draft, plan_manager, board_member, meeting
):
    plan = submitted(agreed(draft, plan_manager, meeting), plan_manager)
    assert plan.status == Status.SUBMITTED
    assert plan.submitted_on == date(2018, 4, 18)
    stored = plan.submitted_pdf.read()
    assert stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == plan.submitted_pdf_sha256
    change = PlanChange.objects.filter(plan=plan).latest("pk")
    assert change.changes["sha256"] == plan.submitted_pdf_sha256

    # The plan changes afterwards; the PDF as submitted does not.
    task = KeyTask.objects.filter(section__plan=plan).first()
    task.description = "Rewritten after submission"
    task.save()
    client.force_login(board_member)
    response = client.get(reverse("plan_submitted_pdf", args=[plan.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == plan.submitted_pdf_sha256
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"


def test_only_an_agreed_plan_can_be_submitted_and_only_once(draft, plan_manager, meeting):
    with pytest.raises(lifecycle.WrongStep):
        lifecycle.submit(
            plan_id=draft.pk, user=plan_manager, expected_version=1, submitted_on=date(2018, 4, 1)
        )
    plan = submitted(agreed(draft, plan_manager, meeting), plan_manager)
    with pytest.raises(lifecycle.WrongStep):
        submitted(plan, plan_manager)
    assert PlanChange.objects.filter(plan=plan, action="submitted").count() == 1


def test_a_submitted_plan_shows_when_it_was_submitted_not_overdue(
    client, draft, plan_manager, meeting
):
    client.force_login(plan_manager)
    html = client.get(reverse("plan_detail", args=[draft.pk])).content.decode()
    assert "Overdue by" in html  # 2018's deadline, long past on the real date
    submitted(agreed(draft, plan_manager, meeting), plan_manager)
    for name in ("plan_detail", "dashboard", "home"):
        args = [] if name == "home" else [draft.pk]
        html = client.get(reverse(name, args=args)).content.decode()
        assert "Submitted" in html
        assert "18 April 2018" in html
    html = client.get(reverse("plan_detail", args=[draft.pk])).content.decode()
    assert "Overdue by" not in html


def test_the_countdown_warns_as_the_deadline_nears(client, draft, plan_manager, settings):
    client.force_login(plan_manager)
    settings.DEMO_DATE = date(2018, 4, 11)  # five working days before 18 April 2018
    html = client.get(reverse("plan_detail", args=[draft.pk])).content.decode()
    assert "5 working days remaining" in html
    assert "govuk-warning-text" in html
    settings.DEMO_DATE = date(2018, 2, 1)
    html = client.get(reverse("home")).content.decode()
    assert "working days remaining" in html
    assert "govuk-warning-text" not in html


def test_close_needs_every_task_complete_and_records_who_and_when(stockton, plan_manager, settings):
    settings.DEMO_DATE = date(2019, 6, 1)
    with pytest.raises(lifecycle.WrongStep):
        lifecycle.close(plan_id=stockton.pk, user=plan_manager, expected_version=1)
    tasks = KeyTask.objects.filter(section__plan=stockton)
    tasks.update(rag="green")
    FutureAction.objects.filter(task__in=tasks).update(status=FutureAction.Status.DONE)
    lifecycle.close(plan_id=stockton.pk, user=plan_manager, expected_version=1)
    plan = ActionPlan.objects.get(pk=stockton.pk)
    assert plan.status == Status.CLOSED
    assert plan.closed_by == plan_manager
    assert plan.closed_at.date() == date(2019, 6, 1)
    assert PlanChange.objects.filter(plan=plan).latest("pk").action == PlanChange.Action.CLOSED


def test_agree_page_without_a_past_meeting_says_to_record_one(client, draft, plan_manager):
    client.force_login(plan_manager)
    html = client.get(reverse("plan_agree", args=[draft.pk])).content.decode()
    assert "Record the meeting" in html


def test_submit_form_refuses_a_future_date_and_keeps_the_plan_agreed(
    client, draft, plan_manager, meeting, settings
):
    settings.DEMO_DATE = date(2018, 4, 18)
    plan = agreed(draft, plan_manager, meeting)
    client.force_login(plan_manager)
    response = client.post(
        reverse("plan_submit", args=[plan.pk]),
        {
            "version": plan.version,
            "submitted_on_day": "1",
            "submitted_on_month": "5",
            "submitted_on_year": "2018",
        },
    )
    assert "must be today or in the past" in response.content.decode()
    assert ActionPlan.objects.get(pk=plan.pk).status == Status.AGREED


def test_a_closed_plan_refuses_structural_edits_with_a_message(client, stockton, plan_manager):
    tasks = KeyTask.objects.filter(section__plan=stockton)
    tasks.update(rag="green")
    FutureAction.objects.filter(task__in=tasks).update(status=FutureAction.Status.DONE)
    lifecycle.close(plan_id=stockton.pk, user=plan_manager, expected_version=1)
    client.force_login(plan_manager)
    response = client.post(
        reverse("section_add", args=[stockton.pk]),
        {"version": 2, "title": "Late additions", "whole_partnership": "yes"},
    )
    assert response.status_code == 200
    assert "The plan is closed" in response.content.decode()
    assert stockton.sections.count() == 5
