"""The fourth colour (BRAG): blue, "completed and embedded", beyond green.

A plan manager turns it on (or off) for a plan on its details page, recorded in the
plan's history; it cannot be turned off while a task is blue. A lead moves a task to
blue only once its completion is confirmed (green); a plan manager may rate any task
blue. Blue counts as complete, ranks above green, and shows wherever ratings do, but
only for a plan that uses it.
"""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from actionplans.dashboard import Dashboard
from actionplans.editing import lifecycle, services
from actionplans.models import ActionPlan, FutureAction, KeyTask, PlanChange, Rag, TaskUpdate
from actionplans.ratings import Travel
from actionplans.services import RatingNotOffered, TaskChange, record_update
from inspections import clock
from inspections.models import BoardMeeting

from .html_forms import read_form

BLUE_LABEL = "Completed and embedded"


@pytest.fixture(autouse=True)
def empty_cache():
    """The dashboard caches its body; every test starts without one."""
    cache.clear()


@pytest.fixture
def police_task(stockton):
    return KeyTask.objects.get(description__startswith="Review capacity in the PVP")


def version(plan) -> int:
    return ActionPlan.objects.values_list("version", flat=True).get(pk=plan.pk)


def turn_on_blue(plan, user, label=BLUE_LABEL):
    return services.edit_details(
        plan_id=plan.pk,
        user=user,
        expected_version=version(plan),
        details={"rag_blue_enabled": True, "rag_blue_label": label},
        reason="The board rates BRAG",
    )


def rate(task, rag, user, reason="Board review", at=None):
    task.refresh_from_db()
    return record_update(
        task_id=task.pk,
        user=user,
        expected_version=task.version,
        change=TaskChange(rag=rag, reason=reason),
        at=at,
    )


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def details_data(plan, **changes) -> dict:
    """What the plan details page posts, with `changes` over the plan's values."""
    data = {
        "version": version(plan),
        "title": plan.title,
        "version_label": plan.version_label,
        "running_heading": plan.running_heading,
        "rag_red_label": plan.rag_red_label,
        "rag_amber_label": plan.rag_amber_label,
        "rag_green_label": plan.rag_green_label,
        "rag_blue_label": plan.rag_blue_label,
        "rag_unrated_label": plan.rag_unrated_label,
    }
    paragraphs = list(plan.introduction.all())
    data |= {"intro-TOTAL_FORMS": len(paragraphs), "intro-INITIAL_FORMS": len(paragraphs)}
    for index, paragraph in enumerate(paragraphs):
        data |= {f"intro-{index}-heading": paragraph.heading, f"intro-{index}-text": paragraph.text}
    if plan.rag_blue_enabled:
        data["rag_blue_enabled"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# -- turning it on and off -----------------------------------------------------------


def test_a_plan_without_the_fourth_colour_never_offers_it(
    client, stockton, police_lead, plan_manager, police_task
):
    assert stockton.rag_key == [
        ("red", "Behind schedule"),
        ("amber", "On track"),
        ("green", "Completed"),
    ]
    rate(police_task, Rag.GREEN, plan_manager)
    client.force_login(plan_manager)
    for url in [
        reverse("task_update", args=[police_task.pk]),
        reverse("task_list", args=[stockton.pk]),
        reverse("dashboard", args=[stockton.pk]),
        reverse("plan_detail", args=[stockton.pk]),
        reverse("home"),
    ]:
        page = client.get(url).content.decode()
        assert BLUE_LABEL not in page, url
        assert "app-rag govuk-tag--blue" not in page, url
    with pytest.raises(RatingNotOffered, match="no fourth colour"):
        rate(police_task, Rag.BLUE, plan_manager)
    police_task.refresh_from_db()
    assert police_task.rag == Rag.GREEN


def test_turning_it_on_is_recorded_in_the_plans_history(client, stockton, plan_manager):
    client.force_login(plan_manager)
    page = client.get(reverse("plan_details", args=[stockton.pk])).content.decode()
    assert "Use a fourth colour, blue" in page and 'value="Completed and embedded"' in page
    response = client.post(
        reverse("plan_details", args=[stockton.pk]),
        details_data(stockton, rag_blue_enabled="on", rag_blue_label="Embedded", reason="BRAG"),
    )
    assert response.status_code == 302
    stockton.refresh_from_db()
    assert stockton.rag_blue_enabled and stockton.rag_blue_label == "Embedded"
    assert stockton.rag_key[-1] == ("blue", "Embedded")
    change = PlanChange.objects.filter(plan=stockton).latest("pk")
    assert change.action == PlanChange.Action.DETAILS
    assert change.changes == {
        "rag_blue_enabled": [False, True],
        "rag_blue_label": ["Completed and embedded", "Embedded"],
    }
    assert (change.user, change.reason) == (plan_manager, "BRAG")
    history = client.get(reverse("plan_history", args=[stockton.pk])).content.decode()
    assert "Rag blue enabled: <del>No</del> → <ins>Yes</ins>" in history


def test_turning_it_on_needs_what_blue_means(client, stockton, plan_manager):
    client.force_login(plan_manager)
    before = version(stockton)
    response = client.post(
        reverse("plan_details", args=[stockton.pk]),
        details_data(stockton, rag_blue_enabled="on", rag_blue_label=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_rag_blue_label"' in page
    assert "Enter what blue means, or do not use a fourth colour" in page
    assert version(stockton) == before
    stockton.refresh_from_db()
    assert not stockton.rag_blue_enabled


def test_turning_it_off_while_tasks_are_blue_is_refused_with_a_clear_message(
    client, stockton, plan_manager, police_task
):
    turn_on_blue(stockton, plan_manager)
    rate(police_task, Rag.BLUE, plan_manager)
    stockton.refresh_from_db()
    before, changes = version(stockton), PlanChange.objects.count()

    with pytest.raises(services.RatingInUse, match="while 1 key task is rated"):
        services.edit_details(
            plan_id=stockton.pk,
            user=plan_manager,
            expected_version=before,
            details={"rag_blue_enabled": False, "title": "Renamed"},
        )
    client.force_login(plan_manager)
    response = client.post(
        reverse("plan_details", args=[stockton.pk]),
        details_data(stockton, rag_blue_enabled=None, title="Renamed"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_rag_blue_enabled"' in page and 'id="id_rag_blue_enabled-error"' in page
    assert (
        escape(
            "The fourth colour cannot be turned off while 1 key task is rated “Completed and "
            "embedded”. Change their rating first."
        )
        in page
    )
    stockton.refresh_from_db()
    assert stockton.rag_blue_enabled and stockton.title != "Renamed"
    assert (version(stockton), PlanChange.objects.count()) == (before, changes)

    # Once no task in force is blue (a withdrawn one does not count), it turns off.
    rate(police_task, Rag.GREEN, plan_manager)
    other = KeyTask.objects.filter(section__plan=stockton).exclude(pk=police_task.pk).first()
    rate(other, Rag.BLUE, plan_manager)
    services.remove_task(
        task_id=other.pk, user=plan_manager, expected_version=version(stockton), reason="Merged"
    )
    services.edit_details(
        plan_id=stockton.pk,
        user=plan_manager,
        expected_version=version(stockton),
        details={"rag_blue_enabled": False},
    )
    stockton.refresh_from_db()
    assert not stockton.rag_blue_enabled


# -- who may choose blue, and when --------------------------------------------------


def test_a_lead_moves_a_task_to_blue_only_once_its_completion_is_confirmed(
    client, stockton, police_lead, plan_manager, police_task
):
    turn_on_blue(stockton, plan_manager)
    client.force_login(police_lead)
    url = reverse("task_update", args=[police_task.pk])
    page = client.get(url).content.decode()
    assert 'value="blue"' not in page  # not offered: the task is not green
    assert escape("“Completed and embedded” can be chosen once a plan manager has") in page

    # Posted anyway: refused, nothing saved.
    data = read_form(client.get(url)) | {"rag": "blue", "reason": "Embedded"}
    response = client.post(url, {**data, "action": "preview"})
    assert "Select a RAG rating from the list" in response.content.decode()
    with pytest.raises(RatingNotOffered, match="can only follow"):
        rate(police_task, Rag.BLUE, police_lead)
    police_task.refresh_from_db()
    assert (police_task.rag, police_task.version) == (Rag.UNRATED, 1)
    assert not TaskUpdate.objects.filter(task=police_task).exists()

    rate(police_task, Rag.GREEN, plan_manager)  # a plan manager's green: confirmed
    page = client.get(url).content.decode()
    assert 'value="blue"' in page and BLUE_LABEL in page
    data = read_form(client.get(url)) | {"rag": "blue", "reason": "Audit shows it has lasted"}
    preview = client.post(url, {**data, "action": "preview"})
    assert "Saving proposes this task" not in preview.content.decode()
    saved = client.post(url, {**read_form(preview), "action": "save"})
    assert saved.status_code == 302

    police_task.refresh_from_db()
    assert police_task.rag == Rag.BLUE and not police_task.awaiting_confirmation
    update = TaskUpdate.objects.filter(task=police_task).latest("version")
    assert (update.rag_from, update.rag_to, update.user) == ("green", "blue", police_lead)
    page = client.get(reverse("task_detail", args=[police_task.pk])).content.decode()
    assert f'<strong class="govuk-tag app-rag govuk-tag--blue">{BLUE_LABEL}</strong>' in page

    # Back down to green is no new proposal: the completion was confirmed already.
    data = read_form(client.get(url)) | {"rag": "green", "reason": "Slipped"}
    preview = client.post(url, {**data, "action": "preview"})
    assert "Saving proposes this task" not in preview.content.decode()
    assert client.post(url, {**read_form(preview), "action": "save"}).status_code == 302
    police_task.refresh_from_db()
    assert police_task.rag == Rag.GREEN and not police_task.awaiting_confirmation


def test_a_plan_manager_may_rate_any_task_blue_and_it_confirms_a_proposal(
    stockton, police_lead, plan_manager, police_task
):
    turn_on_blue(stockton, plan_manager)
    rate(police_task, Rag.GREEN, police_lead)  # a proposal
    police_task.refresh_from_db()
    assert police_task.awaiting_confirmation and police_task.rag == Rag.UNRATED
    rate(police_task, Rag.BLUE, plan_manager)
    police_task.refresh_from_db()
    assert police_task.rag == Rag.BLUE and not police_task.awaiting_confirmation
    update = TaskUpdate.objects.filter(task=police_task).latest("version")
    assert update.changes["completion"] == "confirmed"


def test_the_plan_manager_is_offered_blue_for_any_task(client, stockton, plan_manager, police_task):
    turn_on_blue(stockton, plan_manager)
    client.force_login(plan_manager)
    page = client.get(reverse("task_update", args=[police_task.pk])).content.decode()
    assert 'value="blue"' in page and "can be chosen once" not in page


# -- blue counts as complete and ranks above green ----------------------------------


def test_blue_counts_as_complete_for_closing_and_ranks_above_green(
    stockton, plan_manager, police_lead
):
    turn_on_blue(stockton, plan_manager)
    meeting = BoardMeeting.objects.create(
        area=stockton.inspection.area, date=clock.today() - timedelta(days=7)
    )
    tasks = list(KeyTask.objects.filter(section__plan=stockton).order_by("pk"))
    then = clock.now() - timedelta(days=30)
    rate(tasks[0], Rag.GREEN, plan_manager, at=then)
    rate(tasks[1], Rag.AMBER, plan_manager, at=then)
    rate(tasks[0], Rag.BLUE, police_lead)  # green -> blue: improved, not newly completed
    rate(tasks[1], Rag.BLUE, plan_manager)  # amber -> blue: newly completed

    board = Dashboard(stockton, since=meeting.date)
    travel = {t.pk: t.travel for t in board.changed}
    assert travel[tasks[0].pk] == Travel.IMPROVED and travel[tasks[1].pk] == Travel.IMPROVED
    assert board.summary.completed == 1
    assert board.summary.now.counts["blue"] == 2
    assert [cell[0] for cell in board.summary.now.cells] == [
        "red",
        "amber",
        "green",
        "blue",
        "unrated",
    ]
    assert [cell[0] for cell in board.sections[0].rag_counts.cells][-2:] == ["blue", "unrated"]

    # Every task in force complete (green or blue), nothing planned: the plan may close.
    FutureAction.objects.filter(task__section__plan=stockton).update(
        status=FutureAction.Status.DONE
    )
    for task in tasks[2:]:
        rate(task, Rag.GREEN if task.pk % 2 else Rag.BLUE, plan_manager)
    assert not lifecycle.open_tasks(stockton).exists()
    rate(tasks[2], Rag.AMBER, plan_manager)
    assert list(lifecycle.open_tasks(stockton)) == [tasks[2]]


def test_the_dashboard_and_task_list_show_blue_for_a_plan_that_uses_it(
    client, stockton, plan_manager, board_member, police_task
):
    turn_on_blue(stockton, plan_manager)
    BoardMeeting.objects.create(
        area=stockton.inspection.area, date=clock.today() - timedelta(days=7)
    )
    rate(police_task, Rag.BLUE, plan_manager)
    client.force_login(board_member)
    dashboard = client.get(reverse("dashboard", args=[stockton.pk])).content.decode()
    assert f'<strong class="govuk-tag app-rag govuk-tag--blue">{BLUE_LABEL}</strong>' in dashboard
    assert "?rag=blue" in dashboard  # the count links to the list filtered to blue
    assert 'fill="#1d70b8"' in dashboard  # the trend chart's fourth colour
    listed = client.get(reverse("task_list", args=[stockton.pk]), {"rag": "blue"})
    page = listed.content.decode()
    assert BLUE_LABEL in page and police_task.description[:26] in page
    assert page.count('class="govuk-table__row"') == 1 + 1  # the header row and one task
    home = client.get(reverse("home")).content.decode()
    assert f"1 {BLUE_LABEL}" in home
    plan_page = client.get(reverse("plan_detail", args=[stockton.pk])).content.decode()
    key = plan_page.split('id="rag-key"')[1].split("</ul>")[0]
    assert key.index("Completed</strong>") < key.index(BLUE_LABEL) < key.index("Not yet rated")
    xlsx = client.get(reverse("task_list_xlsx", args=[stockton.pk]), {"rag": "blue"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    header = [cell.value for cell in sheet[1]]
    assert [row[header.index("RAG")] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        BLUE_LABEL
    ]
    rows = csv_rows(client.get(reverse("task_list_csv", args=[stockton.pk]), {"rag": "blue"}))
    assert len(rows) == 1 and rows[0]["RAG"] == BLUE_LABEL


# -- withdrawn key tasks are not live work ------------------------------------------


def test_withdrawn_tasks_are_counted_nowhere_and_listed_only_when_asked(
    client, stockton, plan_manager, board_member, police_task
):
    rate(police_task, Rag.RED, plan_manager)
    services.remove_task(
        task_id=police_task.pk, user=plan_manager, expected_version=1, reason="Replaced"
    )
    board = Dashboard(stockton)
    assert board.summary.now.total == 24
    assert sum(section.rag_counts.total for section in board.sections) == 24
    assert all(section.rag_counts.counts["red"] == 0 for section in board.sections)

    client.force_login(board_member)
    url = reverse("task_list", args=[stockton.pk])
    short = police_task.description[:26]  # "Review capacity in the PVP"
    assert short not in client.get(url).content.decode()
    asked = client.get(url, {"withdrawn": "on"}).content.decode()
    assert short in asked and "Withdrawn</strong>" in asked
    csv_url = reverse("task_list_csv", args=[stockton.pk])
    rows = csv_rows(client.get(csv_url))
    assert len(rows) == 24 and not any(row["Key task"].startswith(short) for row in rows)
    rows = csv_rows(client.get(csv_url, {"withdrawn": "on"}))
    assert len(rows) == 25
    withdrawn = next(row for row in rows if row["Key task"].startswith(short))
    assert withdrawn["Withdrawn"].endswith(": Replaced")
    assert sum(1 for row in rows if row["Withdrawn"]) == 1
