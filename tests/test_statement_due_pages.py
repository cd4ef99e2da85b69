"""The plan and inspection pages say when the statement is due and where the date comes from."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from inspections.workdays import add_working_days


def test_a_draft_plan_shows_the_computed_due_date_and_working_days_left(client, plan_manager):
    plan = plan_manager.memberships.get().area.inspections.get().plans.get()
    inspection = plan.inspection
    today = timezone.localdate()
    inspection.report_received = today - timedelta(days=1)
    inspection.statement_due_stated = None
    inspection.save()
    plan.status = plan.Status.DRAFT
    plan.save()
    due = add_working_days(inspection.report_received, 70)
    client.force_login(plan_manager)
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert f"{due.day} {due:%B %Y}" in html
    assert "Computed: 70 working days after the report was received" in html
    remaining = inspection.working_days_remaining()
    assert remaining > 60
    assert f"{remaining} working days remaining" in html
    html = client.get(reverse("inspection_detail", args=[inspection.pk])).content.decode()
    assert "Computed: 70 working days after the report was received" in html


def test_a_final_plan_shows_the_stated_date_without_a_countdown(client, plan_manager, stockton):
    client.force_login(plan_manager)
    html = client.get(reverse("plan_detail", args=[stockton.pk])).content.decode()
    assert "18 April 2018" in html
    assert "Stated in the inspection letter" in html
    assert "working days remaining" not in html
