"""Task history is append-only and written with the change; stale saves are refused."""

import pytest

from actionplans.models import KeyTask, TaskUpdate
from actionplans.services import StaleVersion, TaskChange, record_update


@pytest.fixture
def police_task(stockton):
    return KeyTask.objects.get(description__startswith="Review capacity in the PVP")


def test_an_update_changes_the_task_and_writes_one_history_row(police_task, police_lead):
    update = record_update(
        task_id=police_task.pk,
        user=police_lead,
        expected_version=police_task.version,
        change=TaskChange(rag="red", reason="Vacancies not filled", new_actions=["Advert out"]),
    )
    police_task.refresh_from_db()
    assert police_task.rag == "red"
    assert police_task.version == 2
    assert update.changes["rag"] == ["", "red"]
    assert update.changes["action_to_date_added"] == ["Advert out"]
    assert update.agency_name == "Cleveland Police"
    assert police_task.action_to_date.order_by("position").last().text == "Advert out"
    assert TaskUpdate.objects.filter(task=police_task).count() == 1


def test_completing_a_future_action_moves_it_into_action_to_date(police_task, police_lead):
    action = police_task.future_actions.order_by("position").first()
    record_update(
        task_id=police_task.pk,
        user=police_lead,
        expected_version=1,
        change=TaskChange(completed_future_actions=[action.pk]),
    )
    action.refresh_from_db()
    assert action.status == "done"
    assert action.completion.text == action.text
    assert action.completion.added_by == police_lead


def test_a_save_from_an_old_version_is_refused_and_changes_nothing(police_task, police_lead):
    record_update(
        task_id=police_task.pk,
        user=police_lead,
        expected_version=1,
        change=TaskChange(rag="amber", reason="Started"),
    )
    with pytest.raises(StaleVersion):
        record_update(
            task_id=police_task.pk,
            user=police_lead,
            expected_version=1,
            change=TaskChange(rag="green", reason="Done"),
        )
    police_task.refresh_from_db()
    assert police_task.rag == "amber"
    assert TaskUpdate.objects.filter(task=police_task).count() == 1


def test_history_cannot_be_edited_or_deleted(police_task, police_lead):
    update = record_update(
        task_id=police_task.pk,
        user=police_lead,
        expected_version=1,
        change=TaskChange(rag="amber", reason="Started"),
    )
    update.reason = "rewritten"
    with pytest.raises(TypeError):
        update.save()
    with pytest.raises(TypeError):
        update.delete()
    with pytest.raises(TypeError):
        TaskUpdate.objects.filter(pk=update.pk).update(reason="rewritten")
    with pytest.raises(TypeError):
        TaskUpdate.objects.filter(pk=update.pk).delete()
    assert TaskUpdate.objects.get(pk=update.pk).reason == "Started"


def test_an_unknown_rag_value_is_refused(police_task, police_lead):
    with pytest.raises(ValueError):
        record_update(
            task_id=police_task.pk,
            user=police_lead,
            expected_version=1,
            change=TaskChange(rag="purple"),
        )
    assert not TaskUpdate.objects.exists()
