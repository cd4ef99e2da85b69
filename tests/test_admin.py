"""The admin works for a plan manager who is not a developer, limited to their area."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from actionplans.models import ActionPlan, KeyTask, TaskUpdate
from actionplans.services import TaskChange, record_update
from inspections.models import Area, Inspection


def _staff_manager(plan_manager):
    plan_manager.is_staff = True
    plan_manager.save()
    plan_manager.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_keytask", "change_keytask", "view_actionplan", "view_taskupdate"]
        )
    )
    return plan_manager


def test_plan_manager_edits_tasks_of_their_area_only(client, plan_manager, stockton, other_area):
    other_inspection = Inspection.objects.create(
        area=other_area,
        fieldwork_start="2019-01-07",
        fieldwork_end="2019-01-11",
        letter_published="2019-03-01",
        report_received="2019-03-01",
    )
    ActionPlan.objects.create(inspection=other_inspection, title="Durham plan")
    client.force_login(_staff_manager(plan_manager))
    response = client.get(reverse("admin:actionplans_actionplan_changelist"))
    assert response.status_code == 200
    assert stockton.title in response.content.decode()
    assert "Durham plan" not in response.content.decode()
    task = KeyTask.objects.filter(section__plan=stockton).first()
    response = client.get(reverse("admin:actionplans_keytask_change", args=[task.pk]))
    assert response.status_code == 200
    assert Area.objects.count() == 2


def test_history_is_read_only_in_the_admin(client, superuser, police_lead, stockton):
    task = KeyTask.objects.filter(section__plan=stockton).first()
    update = record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=task.version,
        change=TaskChange(rag="red", reason="Behind"),
    )
    client.force_login(superuser)
    url = reverse("admin:actionplans_taskupdate_change", args=[update.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="reason"' not in response.content.decode()  # shown, not editable
    client.post(url, {"reason": "rewritten"})
    delete = reverse("admin:actionplans_taskupdate_delete", args=[update.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert TaskUpdate.objects.get(pk=update.pk).reason == "Behind"
