"""Confirmed completion: a lead's "Completed" is a proposal, shown as awaiting
confirmation until a plan manager confirms it or returns it with a reason; the
dashboard shows what awaits; the history records every step."""

import pytest
from django.urls import reverse

from actionplans.dashboard import Dashboard
from actionplans.models import KeyTask, Rag, TaskUpdate
from actionplans.services import StaleVersion, TaskChange, confirm_completion, record_update

from .html_forms import read_form


@pytest.fixture
def police_task(stockton):
    return KeyTask.objects.get(description__startswith="Review capacity in the PVP")


def propose(client, task, reason="All PVP posts filled and audited"):
    """The lead chooses the completed rating on the update page, previews and saves."""
    form = read_form(client.get(reverse("task_update", args=[task.pk])))
    form |= {"rag": "green", "reason": reason}
    preview = client.post(reverse("task_update", args=[task.pk]), {**form, "action": "preview"})
    assert preview.status_code == 200, preview.content.decode()
    assert "Saving proposes this task as completed" in preview.content.decode()
    return client.post(
        reverse("task_update", args=[task.pk]), {**read_form(preview), "action": "save"}
    )


def decide(client, task, decision, reason=""):
    task.refresh_from_db()
    return client.post(
        reverse("task_completion", args=[task.pk]),
        {"decision": decision, "reason": reason, "version": task.version},
    )


def test_a_lead_completing_proposes_and_a_plan_manager_confirms(
    client, police_lead, plan_manager, police_task, stockton
):
    client.force_login(police_lead)
    assert propose(client, police_task).status_code == 302

    police_task.refresh_from_db()
    assert police_task.rag == Rag.UNRATED  # not completed until confirmed
    assert police_task.awaiting_confirmation and police_task.completion_proposed_by == police_lead
    proposal = TaskUpdate.objects.get(task=police_task)
    assert proposal.changes == {"completion": "proposed"}
    assert proposal.reason == "All PVP posts filled and audited"
    page = client.get(reverse("task_detail", args=[police_task.pk])).content.decode()
    assert "Completed - awaiting confirmation" in page
    assert "Confirm or return the completion" not in page  # not for the lead
    assert [t.pk for t in Dashboard(stockton).awaiting_confirmation] == [police_task.pk]
    dashboard = client.get(reverse("dashboard", args=[stockton.pk])).content.decode()
    assert "Awaiting confirmation: 1 key task proposed as completed" in dashboard
    # The lead cannot confirm their own proposal.
    assert decide(client, police_task, "confirm").status_code == 403

    client.force_login(plan_manager)
    page = client.get(reverse("task_detail", args=[police_task.pk])).content.decode()
    assert "Confirm or return the completion" in page
    form = client.get(reverse("task_completion", args=[police_task.pk])).content.decode()
    assert "All PVP posts filled and audited" in form  # the lead's reason, to judge by
    assert decide(client, police_task, "confirm").status_code == 302

    police_task.refresh_from_db()
    assert police_task.rag == Rag.GREEN and not police_task.awaiting_confirmation
    confirmed = TaskUpdate.objects.filter(task=police_task).latest("version")
    assert confirmed.changes == {"completion": "confirmed", "rag": ["", "green"]}
    assert (confirmed.rag_from, confirmed.rag_to, confirmed.user) == ("", "green", plan_manager)
    assert Dashboard(stockton).awaiting_confirmation == []
    history = client.get(reverse("task_detail", args=[police_task.pk])).content.decode()
    assert "Confirmed as completed by a plan manager" in history
    assert "Proposed as completed: awaiting a plan manager" in history


def test_a_plan_manager_returns_a_completion_with_a_reason(
    client, police_lead, plan_manager, police_task
):
    client.force_login(police_lead)
    propose(client, police_task)
    client.force_login(plan_manager)

    refused = decide(client, police_task, "return")
    assert refused.status_code == 200
    assert "Enter why the completion is returned" in refused.content.decode()
    police_task.refresh_from_db()
    assert police_task.awaiting_confirmation  # nothing changed

    assert decide(client, police_task, "return", "No audit attached yet").status_code == 302
    police_task.refresh_from_db()
    assert police_task.rag == Rag.UNRATED and not police_task.awaiting_confirmation
    returned = TaskUpdate.objects.filter(task=police_task).latest("version")
    assert returned.changes == {"completion": "returned"}
    assert returned.reason == "No audit attached yet"
    # Nothing awaits now: the page says so rather than offering a decision.
    assert client.get(reverse("task_completion", args=[police_task.pk])).status_code == 404


def test_a_plan_managers_completed_is_the_confirmation(plan_manager, police_task):
    record_update(
        task_id=police_task.pk,
        user=plan_manager,
        expected_version=police_task.version,
        change=TaskChange(rag=Rag.GREEN, reason="Seen the audit"),
    )
    police_task.refresh_from_db()
    assert police_task.rag == Rag.GREEN and not police_task.awaiting_confirmation


def test_proposing_twice_is_one_proposal_and_another_rating_takes_it_back(police_lead, police_task):
    def save(rag):
        police_task.refresh_from_db()
        return record_update(
            task_id=police_task.pk,
            user=police_lead,
            expected_version=police_task.version,
            change=TaskChange(rag=rag, reason="why"),
        )

    save(Rag.GREEN)
    first = KeyTask.objects.get(pk=police_task.pk).awaiting_confirmation_since
    again = save(Rag.GREEN)
    assert "completion" not in again.changes
    assert KeyTask.objects.get(pk=police_task.pk).awaiting_confirmation_since == first
    back = save(Rag.AMBER)
    assert back.changes == {"rag": ["", "amber"], "completion": "taken back"}
    task = KeyTask.objects.get(pk=police_task.pk)
    assert task.rag == Rag.AMBER and not task.awaiting_confirmation


def test_confirming_a_task_that_changed_meanwhile_is_refused(
    police_lead, plan_manager, police_task
):
    record_update(
        task_id=police_task.pk,
        user=police_lead,
        expected_version=1,
        change=TaskChange(rag=Rag.GREEN, reason="done"),
    )
    with pytest.raises(StaleVersion):
        confirm_completion(task_id=police_task.pk, user=plan_manager, expected_version=1)
    assert KeyTask.objects.get(pk=police_task.pk).rag == Rag.UNRATED


def test_completion_page_query_count_is_fixed(
    client, police_lead, plan_manager, police_task, django_assert_num_queries
):
    client.force_login(police_lead)
    propose(client, police_task)
    client.force_login(plan_manager)
    # session, user, memberships, the task (with the proposer), the proposal
    with django_assert_num_queries(5):
        assert client.get(reverse("task_completion", args=[police_task.pk])).status_code == 200
