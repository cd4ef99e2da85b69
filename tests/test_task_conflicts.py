"""No lost edits: a save made from an out-of-date page never overwrites someone else's.

The second person gets a conflict page with their text beside the task as it is now,
and their input again, laid over the current version, to merge and save. On
PostgreSQL two real transactions race for the task row.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from actionplans.models import FutureAction, KeyTask, TaskUpdate
from actionplans.services import StaleVersion, TaskChange, record_update
from tests.html_forms import read_form

TASK = "Review capacity in the PVP"


@pytest.fixture
def police_task(stockton):
    return KeyTask.objects.get(description__startswith=TASK)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def url(task):
    return reverse("task_update", args=[task.pk])


def open_form(client, task):
    return read_form(client.get(url(task)))


def submit(client, task, data, action):
    return client.post(url(task), {**data, "action": action})


def save(client, task, data):
    preview = submit(client, task, data, "preview")
    assert preview.status_code == 200
    return submit(client, task, read_form(preview), "save")


# -- one after the other ---------------------------------------------------------------


def test_second_save_gets_a_conflict_page_with_both_texts(police_task, police_lead, plan_manager):
    lead, manager = client_for(police_lead), client_for(plan_manager)
    lead_form, manager_form = open_form(lead, police_task), open_form(manager, police_task)

    manager_form["new_action-0-text"] = "Board agreed extra funding for the PVP"
    manager_form.update(rag="amber", reason="Funding agreed")
    assert save(manager, police_task, manager_form).status_code == 302

    lead_form["new_action-0-text"] = "Two detective sergeants appointed"
    lead_form.update(rag="red", reason="Still two posts vacant")
    response = submit(lead, police_task, lead_form, "preview")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else has updated this task" in html
    # The other person's change, and the lead's own text beside it.
    mine = html.split("Your update (not saved)")[1].split("Saved meanwhile")[0]
    theirs = html.split("Saved meanwhile")[1].split("Your update, ready to check")[0]
    assert "Two detective sergeants appointed" in mine and "Still two posts vacant" in mine
    assert "Board agreed extra funding for the PVP" in theirs and "Funding agreed" in theirs
    assert "Manager" in theirs or "Plan" in theirs
    # The lead's input is kept in a form built on the current version.
    merged = read_form(response)
    assert merged["version"] == "2"
    assert merged["new_action-0-text"] == "Two detective sergeants appointed"
    assert merged["reason"] == "Still two posts vacant"
    assert merged["rag"] == "red"
    # Nothing of the lead's was saved.
    assert TaskUpdate.objects.filter(task=police_task).count() == 1

    assert save(lead, police_task, merged).status_code == 302
    police_task.refresh_from_db()
    assert (police_task.version, police_task.rag) == (3, "red")
    texts = list(police_task.action_to_date.values_list("text", flat=True))
    assert "Board agreed extra funding for the PVP" in texts
    assert "Two detective sergeants appointed" in texts


def test_a_conflict_at_save_time_after_preview_is_caught(police_task, police_lead, plan_manager):
    lead, manager = client_for(police_lead), client_for(plan_manager)
    lead_form = open_form(lead, police_task)
    lead_form["new_action-0-text"] = "Advert out"
    preview = submit(lead, police_task, lead_form, "preview")
    manager_form = open_form(manager, police_task)
    manager_form["new_action-0-text"] = "Funding agreed"
    save(manager, police_task, manager_form)

    response = submit(lead, police_task, read_form(preview), "save")
    assert response.status_code == 409
    assert read_form(response)["new_action-0-text"] == "Advert out"
    assert TaskUpdate.objects.filter(task=police_task).count() == 1


def test_merging_keeps_what_the_other_person_changed_and_the_user_left_alone(
    police_task, police_lead, plan_manager
):
    lead, manager = client_for(police_lead), client_for(plan_manager)
    lead_form, manager_form = open_form(lead, police_task), open_form(manager, police_task)
    manager_form["planned-0-text"] = "Prioritisation process to fill all PVP vacancies"
    manager_form.update(rag="amber", reason="Started")
    save(manager, police_task, manager_form)

    lead_form["new_action-0-text"] = "Advert out"  # nothing else touched
    merged = read_form(submit(lead, police_task, lead_form, "save"))
    assert merged["planned-0-text"] == "Prioritisation process to fill all PVP vacancies"
    assert merged["rag"] == "amber"
    assert save(lead, police_task, merged).status_code == 302
    police_task.refresh_from_db()
    assert police_task.rag == "amber"
    first = police_task.future_actions.order_by("position").first()
    assert first.text == "Prioritisation process to fill all PVP vacancies"
    assert "future_actions_edited" not in police_task.history.last().changes


def test_both_editing_one_future_action_shows_both_texts_and_keeps_the_users(
    police_task, police_lead, plan_manager
):
    lead, manager = client_for(police_lead), client_for(plan_manager)
    lead_form, manager_form = open_form(lead, police_task), open_form(manager, police_task)
    manager_form["planned-1-text"] = "Review of temporary resources (manager's words)"
    save(manager, police_task, manager_form)

    lead_form["planned-1-text"] = "Review of temporary resources (lead's words)"
    response = submit(lead, police_task, lead_form, "preview")
    html = response.content.decode()
    assert escape("(lead's words)") in html.split("Saved meanwhile")[0]
    assert escape("(manager's words)") in html.split("Saved meanwhile")[1]
    assert read_form(response)["planned-1-text"] == "Review of temporary resources (lead's words)"


def test_a_future_action_closed_meanwhile_leaves_the_form_but_stays_on_the_page(
    police_task, police_lead, plan_manager
):
    lead, manager = client_for(police_lead), client_for(plan_manager)
    lead_form, manager_form = open_form(lead, police_task), open_form(manager, police_task)
    manager_form["planned-0-status"] = "dropped"
    manager_form["planned-0-drop_reason"] = "Replaced by the new model"
    save(manager, police_task, manager_form)

    lead_form["planned-0-status"] = "done"
    lead_form["new_action-0-text"] = "Advert out"
    response = submit(lead, police_task, lead_form, "preview")
    html = response.content.decode()
    assert "No longer planned" in html
    merged = read_form(response)
    assert merged["planned-TOTAL_FORMS"] == "3"
    dropped = FutureAction.objects.get(task=police_task, position=1)
    assert str(dropped.pk) not in [merged[f"planned-{i}-id"] for i in range(3)]
    assert merged["new_action-0-text"] == "Advert out"


# -- two transactions at once (PostgreSQL row locks) ------------------------------------


def _wait_for_lock_waiter(timeout=10):
    """Block until some session of this database waits on a lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("The second save never waited for the first one's row lock")


class FirstSave(threading.Thread):
    """Saves an update and keeps its transaction (and the row lock) open until released."""

    def __init__(self, task, user):
        super().__init__()
        self.task, self.user = task, user
        self.locked, self.release = threading.Event(), threading.Event()
        self.error = None

    def run(self):
        try:
            with transaction.atomic():
                record_update(
                    task_id=self.task.pk,
                    user=self.user,
                    expected_version=1,
                    change=TaskChange(rag="amber", reason="First", new_actions=["First save"]),
                )
                self.locked.set()
                self.release.wait(timeout=20)
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error
            self.locked.set()
        finally:
            connections.close_all()


def hold_row_lock(task, user) -> FirstSave:
    first = FirstSave(task, user)
    first.start()
    assert first.locked.wait(timeout=10) and first.error is None
    return first


def previewed(client, task, fields) -> dict:
    """The form as carried by the preview page, after filling in `fields`."""
    form = open_form(client, task)
    form.update(fields)
    return read_form(submit(client, task, form, "preview"))


def _in_thread(target):
    result = {}

    def run():
        try:
            result["value"] = target()
        except Exception as error:  # noqa: BLE001 - reported by the test
            result["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@pytest.fixture
def require_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks between two connections need PostgreSQL")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_one_waits_for_the_other_and_is_refused(
    require_postgres, police_task, police_lead, plan_manager
):
    first = hold_row_lock(police_task, plan_manager)
    second, result = _in_thread(
        lambda: record_update(
            task_id=police_task.pk,
            user=police_lead,
            expected_version=1,
            change=TaskChange(rag="red", reason="Second", new_actions=["Second save"]),
        )
    )
    _wait_for_lock_waiter()  # the second really is blocked on the first's row lock
    first.release.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert isinstance(result.get("error"), StaleVersion), result
    police_task.refresh_from_db()
    assert (police_task.version, police_task.rag) == (2, "amber")
    assert list(TaskUpdate.objects.filter(task=police_task).values_list("reason", flat=True)) == [
        "First"
    ]
    texts = set(police_task.action_to_date.values_list("text", flat=True))
    assert "First save" in texts and "Second save" not in texts


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_page_save_racing_another_gets_the_conflict_page_with_its_text(
    require_postgres, police_task, police_lead, plan_manager
):
    lead = client_for(police_lead)
    typed = {"new_action-0-text": "Typed by the lead during the race", "rag": "red"}
    carried = previewed(lead, police_task, {**typed, "reason": "Lead's reason"})
    first = hold_row_lock(police_task, plan_manager)
    # The page's own version check passes (the first save is not committed yet), so
    # only the row lock and the version check under it stand between the two.
    second, result = _in_thread(lambda: submit(lead, police_task, carried, "save"))
    _wait_for_lock_waiter()
    first.release.set()
    first.join(timeout=10)
    second.join(timeout=10)

    response = result["value"]
    assert response.status_code == 409
    html = response.content.decode()
    assert "Typed by the lead during the race" in html and "First save" in html
    merged = read_form(response)
    assert merged["version"] == "2"
    assert merged["new_action-0-text"] == "Typed by the lead during the race"
    assert merged["reason"] == "Lead's reason"
    assert TaskUpdate.objects.filter(task=police_task).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_save_that_fails_in_the_database_keeps_what_was_typed(
    require_postgres, police_task, police_lead, plan_manager
):
    lead = client_for(police_lead)
    carried = previewed(
        lead, police_task, {"new_action-0-text": "Typed before the database failed"}
    )
    first = hold_row_lock(police_task, plan_manager)

    def save_with_a_short_lock_wait():
        # A real database failure: the row stays locked longer than this session waits.
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        try:
            return submit(lead, police_task, carried, "save")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")

    second, result = _in_thread(save_with_a_short_lock_wait)
    second.join(timeout=10)
    first.release.set()
    first.join(timeout=10)

    response = result["value"]
    assert response.status_code == 503
    html = response.content.decode()
    assert "could not be saved because of a problem on our side" in html
    assert read_form(response)["new_action-0-text"] == "Typed before the database failed"
    assert TaskUpdate.objects.filter(task=police_task).count() == 1  # only the first save
