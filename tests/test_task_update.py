"""The update page: a lead brings a task up to date, previews it, saves it as one update.

Every bad input gets a message beside its field, nothing is saved, and what was typed
comes back in the form.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from actionplans.models import ActionEntry, FutureAction, KeyTask, TaskUpdate
from actionplans.update_forms import MAX_PLANNED_ROWS
from tests.html_forms import read_form
from tests.task_history import add_updates


@pytest.fixture
def police_task(stockton):
    return KeyTask.objects.get(description__startswith="Review capacity in the PVP")


@pytest.fixture
def lead(client, police_lead):
    client.force_login(police_lead)
    return client


def update_url(task):
    return reverse("task_update", args=[task.pk])


def open_form(client, task) -> dict:
    response = client.get(update_url(task))
    assert response.status_code == 200
    return read_form(response)


def submit(client, task, data, action="preview"):
    return client.post(update_url(task), {**data, "action": action})


def preview_and_save(client, task, data):
    preview = submit(client, task, data, "preview")
    assert preview.status_code == 200, preview.content.decode()
    assert "Check your update before saving it" in preview.content.decode()
    return submit(client, task, read_form(preview), "save")


def html(response):
    return response.content.decode()


def assert_nothing_saved(task):
    task.refresh_from_db()
    assert task.version == 1
    assert not TaskUpdate.objects.filter(task=task).exists()


# -- the page ------------------------------------------------------------------------


def test_update_page_offers_the_plans_rag_words_and_the_tasks_future_actions(lead, police_task):
    response = lead.get(update_url(police_task))
    page = html(response)
    for label in ["Behind schedule", "On track", "Completed", "Not yet rated"]:
        assert label in page
    for action in police_task.future_actions.all():
        assert escape(action.text) in page
    assert "You can enter up to 1,000 characters" in page
    assert "You can enter up to 500 characters" in page
    data = read_form(response)
    assert data["version"] == "1"
    assert data["task"] == str(police_task.pk)
    assert data["planned-TOTAL_FORMS"] == "4"
    assert data["planned-0-status"] == "open"


# -- preview and save ----------------------------------------------------------------


def test_preview_shows_the_change_and_saves_nothing(lead, police_task):
    data = open_form(lead, police_task)
    data["new_action-0-text"] = "Two detective sergeants appointed to the PVP"
    data["rag"] = "amber"
    data["reason"] = "Recruitment under way"
    response = submit(lead, police_task, data, "preview")
    page = html(response)
    assert "What the board will see" in page
    assert "Two detective sergeants appointed to the PVP" in page
    assert "On track" in page and "Recruitment under way" in page
    assert_nothing_saved(police_task)
    # Everything typed rides along to the Save button.
    carried = read_form(response)
    assert carried["new_action-0-text"] == "Two detective sergeants appointed to the PVP"
    assert carried["reason"] == "Recruitment under way"
    assert carried["version"] == "1"


def test_saving_writes_one_history_entry_and_shows_a_confirmation(lead, police_task, police_lead):
    data = open_form(lead, police_task)
    done = police_task.future_actions.get(text="Prioritisation process to fill vacancies")
    data["new_action-0-text"] = "Two detective sergeants appointed"
    data["planned-0-status"] = "done"
    data["rag"] = "red"
    data["reason"] = "Vacancies still not filled"
    response = preview_and_save(lead, police_task, data)
    assert response.status_code == 302
    assert response["Location"] == police_task.get_absolute_url()

    police_task.refresh_from_db()
    assert (police_task.rag, police_task.version) == ("red", 2)
    update = TaskUpdate.objects.get(task=police_task)
    assert update.user == police_lead
    assert update.agency_name == "Cleveland Police"
    assert update.reason == "Vacancies still not filled"
    assert update.changes["rag"] == ["", "red"]
    assert update.changes["action_to_date_added"] == ["Two detective sergeants appointed"]
    done.refresh_from_db()
    assert done.status == "done"
    assert done.completion.added_on == timezone.localdate()

    page = html(lead.get(response["Location"]))
    assert "govuk-notification-banner--success" in page
    assert "Your update has been saved" in page


def test_change_on_the_preview_goes_back_to_the_form_with_everything_typed(lead, police_task):
    data = open_form(lead, police_task)
    data["new_action-0-text"] = "Vacancies advertised"
    data["new_future-0-text"] = "Interview candidates"
    data.update({"new_future-0-target_date_day": "30", "new_future-0-target_date_month": "6"})
    data["new_future-0-target_date_year"] = "2026"
    preview = submit(lead, police_task, data, "preview")
    back = submit(lead, police_task, read_form(preview), "change")
    assert back.status_code == 200
    again = read_form(back)
    for key in ["new_action-0-text", "new_future-0-text", "new_future-0-target_date_day"]:
        assert again[key] == data[key]
    assert "There is a problem" not in html(back)
    assert_nothing_saved(police_task)


def test_add_another_adds_a_blank_row_and_keeps_what_was_typed(lead, police_task):
    data = open_form(lead, police_task)
    data["new_action-0-text"] = "First thing done"
    response = submit(lead, police_task, data, "add_action")
    again = read_form(response)
    assert again["new_action-TOTAL_FORMS"] == "2"
    assert again["new_action-0-text"] == "First thing done"
    assert again["new_action-1-text"] == ""
    assert "There is a problem" not in html(response)
    again["new_action-1-text"] = "Second thing done"
    assert preview_and_save(lead, police_task, again).status_code == 302
    assert TaskUpdate.objects.get(task=police_task).changes["action_to_date_added"] == [
        "First thing done",
        "Second thing done",
    ]


def test_future_actions_can_be_added_with_a_date_edited_and_dropped(lead, police_task):
    data = open_form(lead, police_task)
    first, second = police_task.future_actions.order_by("position")[:2]
    data["new_future-0-text"] = "Audit of PVP caseloads"
    data.update(
        {
            "new_future-0-target_date_day": "30",
            "new_future-0-target_date_month": "9",
            "new_future-0-target_date_year": "2026",
        }
    )
    data["planned-0-text"] = "Prioritisation process to fill all PVP vacancies"
    data.update({"planned-0-target_date_day": "1", "planned-0-target_date_month": "12"})
    data["planned-0-target_date_year"] = "2026"
    data["planned-1-status"] = "dropped"
    data["planned-1-drop_reason"] = "Budget withdrawn"
    assert preview_and_save(lead, police_task, data).status_code == 302

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.text == "Prioritisation process to fill all PVP vacancies"
    assert first.target_date == date(2026, 12, 1)
    assert (second.status, second.drop_reason) == ("dropped", "Budget withdrawn")
    added = police_task.future_actions.get(text="Audit of PVP caseloads")
    assert added.target_date == date(2026, 9, 30)
    changes = TaskUpdate.objects.get(task=police_task).changes
    assert changes["future_actions_edited"][0]["to"]["target_date"] == "2026-12-01"
    assert changes["future_actions_dropped"][0]["reason"] == "Budget withdrawn"


def test_the_preview_matches_what_is_saved(lead, police_task):
    data = open_form(lead, police_task)
    data["planned-0-status"] = "done"
    data["new_future-0-text"] = "Audit of PVP caseloads"
    preview = html(submit(lead, police_task, data, "preview"))
    preview_row = preview.split("What the board will see")[1].split("</table>")[0]
    preview_and_save(lead, police_task, data)
    plan_page = html(lead.get(reverse("plan_detail", args=[police_task.section.plan_id])))
    saved_row = plan_page.split(f'id="task-{police_task.pk}"')[1].split("</tr>")[0]
    for text in ["Prioritisation process to fill vacancies", "Audit of PVP caseloads"]:
        assert text in preview_row and text in saved_row
    # The done action left the future actions for action to date, in both.
    for row in (preview_row, saved_row):
        future_cell = row.split('data-label="Future actions"')[1]
        assert "Prioritisation process" not in future_cell


# -- bad input: a message beside the field, nothing saved, input kept --------------------


def assert_error_beside(response, field_id, message):
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'href="#{field_id}"' in page  # the summary links to the field
    assert f'id="{field_id}-error"' in page  # the message sits beside it
    assert escape(message) in page


def test_an_empty_update_is_refused(lead, police_task):
    response = submit(lead, police_task, open_form(lead, police_task))
    assert_error_beside(response, "id_new_action-0-text", "There is nothing to save")
    assert_nothing_saved(police_task)


def test_changing_the_rating_needs_a_reason(lead, police_task):
    data = open_form(lead, police_task)
    data["rag"] = "red"
    response = submit(lead, police_task, data)
    assert_error_beside(response, "id_reason", "Enter why the rating has changed")
    assert read_form(response)["rag"] == "red"
    assert_nothing_saved(police_task)


def test_a_rag_value_that_does_not_exist_is_refused(lead, police_task):
    data = open_form(lead, police_task)
    data.update(rag="purple", reason="Trying")
    response = submit(lead, police_task, data)
    assert_error_beside(response, "id_rag", "Select a RAG rating from the list")
    assert read_form(response)["reason"] == "Trying"
    assert_nothing_saved(police_task)


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("new_action-0-text", 1000),
        ("new_future-0-text", 500),
        ("planned-0-text", 500),
        ("reason", 1000),
    ],
)
def test_over_long_text_is_refused_and_kept(lead, police_task, field, limit):
    data = open_form(lead, police_task)
    data[field] = "x" * (limit + 1)
    data["new_action-0-text"] = data.get("new_action-0-text") or "Something done"
    response = submit(lead, police_task, data)
    assert_error_beside(response, f"id_{field}", f"must be {limit:,} characters or less")
    assert read_form(response)[field] == "x" * (limit + 1)
    assert_nothing_saved(police_task)


def test_text_at_the_limit_with_windows_line_breaks_is_accepted(lead, police_task):
    # The character count counts a line break once; the browser sends \r\n.
    data = open_form(lead, police_task)
    data["new_action-0-text"] = "a" * 499 + "\r\n" + "b" * 500
    assert preview_and_save(lead, police_task, data).status_code == 302


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "wrong"),
    [
        ("31", "2", "2018", "Target date must be a real date", ["day", "month", "year"]),
        ("", "6", "2026", "Target date must include a day", ["day"]),
        ("30", "June", "2026", "Target date must be a real date", ["month"]),
        ("30", "6", "26", "Year must include 4 numbers", ["year"]),
    ],
)
def test_impossible_or_incomplete_dates_are_refused(
    lead, police_task, day, month, year, message, wrong
):
    data = open_form(lead, police_task)
    data["new_future-0-text"] = "Audit of caseloads"
    data["new_future-0-target_date_day"] = day
    data["new_future-0-target_date_month"] = month
    data["new_future-0-target_date_year"] = year
    response = submit(lead, police_task, data)
    assert_error_beside(response, "id_new_future-0-target_date", message)
    again = read_form(response)
    assert again["new_future-0-target_date_day"] == day
    assert again["new_future-0-target_date_month"] == month
    page = html(response)
    for part in ["day", "month", "year"]:
        part_id = "id_new_future-0-target_date" + ("" if part == "day" else f"_{part}")
        marked = f'govuk-input--error" id="{part_id}"' in page
        assert marked == (part in wrong), part
    assert_nothing_saved(police_task)


def test_dropping_needs_a_reason(lead, police_task):
    data = open_form(lead, police_task)
    data["planned-2-status"] = "dropped"
    response = submit(lead, police_task, data)
    assert_error_beside(
        response, "id_planned-2-drop_reason", "Enter why this future action is being dropped"
    )
    assert read_form(response)["planned-2-status"] == "dropped"
    assert_nothing_saved(police_task)


def test_a_tampered_task_id_is_refused(lead, police_task, stockton):
    other = KeyTask.objects.get(description__startswith="Review front line training")
    data = open_form(lead, police_task)
    data["task"] = str(other.pk)
    data["new_action-0-text"] = "Done something"
    response = submit(lead, police_task, data)
    assert_error_beside(response, "update-form", "filled in for a different task")
    assert read_form(response)["new_action-0-text"] == "Done something"
    assert_nothing_saved(police_task)
    assert_nothing_saved(other)


def test_a_future_action_of_another_task_is_refused(lead, police_task):
    other = KeyTask.objects.get(description__startswith="Review front line training")
    theirs = other.future_actions.first()
    data = open_form(lead, police_task)
    data["planned-0-id"] = str(theirs.pk)
    data["planned-0-status"] = "done"
    response = submit(lead, police_task, data)
    assert_error_beside(response, "planned-0", "not one of this task’s planned future actions")
    assert_nothing_saved(police_task)
    theirs.refresh_from_db()
    assert theirs.status == "open"
    assert not ActionEntry.objects.filter(from_future_action=theirs).exists()


def test_a_tampered_version_is_a_conflict_not_a_save(lead, police_task):
    data = open_form(lead, police_task)
    data["version"] = "7"
    data["new_action-0-text"] = "Something done"
    response = submit(lead, police_task, data, "save")
    assert response.status_code == 409
    assert_nothing_saved(police_task)


SCRIPT = '<script>alert("x")</script>'


@pytest.mark.parametrize(
    "field",
    ["new_action-0-text", "new_future-0-text", "planned-0-text", "reason", "planned-1-drop_reason"],
)
def test_html_and_script_are_refused_and_shown_back_as_text(lead, police_task, field):
    data = open_form(lead, police_task)
    data[field] = f"Done {SCRIPT} today"
    if field == "planned-1-drop_reason":
        data["planned-1-status"] = "dropped"
    response = submit(lead, police_task, data)
    assert_error_beside(response, f"id_{field}", "must be plain text")
    page = html(response)
    assert SCRIPT not in page
    assert escape(f"Done {SCRIPT} today") in page
    assert read_form(response)[field] == f"Done {SCRIPT} today"
    assert_nothing_saved(police_task)


def test_text_with_a_less_than_sign_is_plain_text(lead, police_task):
    data = open_form(lead, police_task)
    data["new_action-0-text"] = "Waiting times now < 5 days for children aged <2 & their carers"
    assert preview_and_save(lead, police_task, data).status_code == 302
    page = html(lead.get(police_task.get_absolute_url()))
    assert escape("Waiting times now < 5 days for children aged <2 & their carers") in page


def test_stored_markup_is_shown_as_text_everywhere(lead, police_task, police_lead):
    # Text that reached the database another way (an import, the admin) is still inert.
    FutureAction.objects.filter(task=police_task, position=1).update(text=SCRIPT)
    police_task.description = f"Review capacity {SCRIPT}"
    police_task.save()
    for url in [
        police_task.get_absolute_url(),
        update_url(police_task),
        reverse("your_tasks"),
        reverse("plan_detail", args=[police_task.section.plan_id]),
    ]:
        page = html(lead.get(url))
        assert SCRIPT not in page, url
        assert escape(SCRIPT) in page or escape("Review capacity <script>") in page, url


@pytest.mark.parametrize(
    ("prefix", "rows"), [("planned", 2000), ("new_action", 21), ("new_future", 500)]
)
@pytest.mark.parametrize("action", ["preview", "save", "add_action"])
def test_a_post_with_more_rows_than_the_page_offers_is_refused_as_a_whole(
    lead, police_task, prefix, rows, action
):
    """Issue 11: planned-TOTAL_FORMS=2000 took 4.6 s and returned 9 MB of rows."""
    data = open_form(lead, police_task)
    data["new_action-0-text"] = "Typed on a tampered page"
    data[f"{prefix}-TOTAL_FORMS"] = str(rows)
    # The review's post changed only the count; the others fill their rows in too (within
    # Django's 1,000 fields a request may send).
    for index in range(rows if rows <= 500 else 0):
        data.setdefault(f"{prefix}-{index}-text", f"Row {index}")

    response = submit(lead, police_task, data, action)

    page = html(response)
    assert response.status_code == 400
    assert "This update has more rows than the page offers, so nothing was saved." in page
    assert "<title>Error: Update key task" in page
    form = read_form(response)  # the page again, as the task stands
    assert form["planned-TOTAL_FORMS"] == str(
        police_task.future_actions.filter(status="open").count()
    )
    assert form["new_action-TOTAL_FORMS"] == "1"
    assert len(response.content) < 100_000
    assert_nothing_saved(police_task)


def test_a_task_with_more_open_future_actions_than_the_cap_can_still_be_updated(lead, police_task):
    start = police_task.future_actions.count() + 1
    FutureAction.objects.bulk_create(
        FutureAction(task=police_task, position=start + n, text=f"Planned {n}")
        for n in range(MAX_PLANNED_ROWS)
    )
    data = open_form(lead, police_task)
    assert int(data["planned-TOTAL_FORMS"]) > MAX_PLANNED_ROWS
    data["new_action-0-text"] = "Still saved"
    assert preview_and_save(lead, police_task, data).status_code == 302
    assert police_task.action_to_date.filter(text="Still saved").exists()


def test_as_many_rows_as_the_caps_allow_are_read(lead, police_task):
    data = open_form(lead, police_task)
    data["new_action-TOTAL_FORMS"] = "20"
    for index in range(20):
        data[f"new_action-{index}-text"] = f"Done {index}"
    response = preview_and_save(lead, police_task, data)
    assert response.status_code == 302
    assert police_task.action_to_date.filter(text__startswith="Done ").count() == 20


# -- queries -----------------------------------------------------------------------------


def test_query_count_does_not_grow_with_future_actions_or_history(
    lead, police_task, police_lead, django_assert_num_queries
):
    add_updates(police_task, police_lead, [1])
    url = update_url(police_task)
    lead.get(url)
    with django_assert_num_queries(UPDATE_PAGE_QUERIES):
        assert lead.get(url).status_code == 200
    add_updates(police_task, police_lead, range(2, 51))
    assert police_task.future_actions.filter(status="open").count() > 50
    with django_assert_num_queries(UPDATE_PAGE_QUERIES):
        response = lead.get(url)
    assert read_form(response)["planned-TOTAL_FORMS"] == "54"


# session, user, memberships, task (with section, plan, area), may the user edit, open
# future actions, action to date
UPDATE_PAGE_QUERIES = 7


def test_a_valid_form_from_someone_not_allowed_saves_nothing(
    client, police_task, police_lead, council_lead, board_member
):
    client.force_login(police_lead)
    data = open_form(client, police_task)
    data.update({"new_action-0-text": "Not mine to add", "rag": "green", "reason": "x"})
    for user in (council_lead, board_member):
        client.force_login(user)
        assert submit(client, police_task, data, "save").status_code == 403
    assert_nothing_saved(police_task)
