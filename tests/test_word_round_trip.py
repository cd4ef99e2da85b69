"""Word out, Word back in, without loss: every cell, every lead's agencies, the status.

Into a new plan (`import_plan`), into the same plan (no change at all) and into a blank
plan (every cell arrives as recorded changes, through the same services as the app's
pages), with a cell-by-cell diff shown first.
"""

import pytest

from actionplans.editing import drafting
from actionplans.editing import services as editing
from actionplans.exports.docx import render_plan_docx
from actionplans.imports.merge import apply_import, diff_plan, load_plan
from actionplans.imports.services import import_plan, read_plan
from actionplans.models import ActionPlan, FutureAction, KeyTask, Lead, PlanChange, TaskUpdate
from actionplans.services import TaskChange, record_update
from inspections.models import Agency, AgencyAlias


def full_snapshot(plan):
    """Every cell of the plan, each lead with its agencies, the labels and the status."""
    plan = ActionPlan.objects.get(pk=plan.pk)
    sections = []
    for section in plan.sections.order_by("position"):
        tasks = []
        for task in section.tasks.filter(withdrawn_at__isnull=True).order_by("position"):
            future = task.future_actions.filter(status=FutureAction.Status.OPEN)
            tasks.append(
                {
                    "key task": task.description,
                    "how will we know": task.success_measure_list,
                    "leads": [
                        (
                            lead.name,
                            sorted(a.name for a in lead.agencies.all()),
                            lead.all_partners,
                        )
                        for lead in task.leads.all()
                    ],
                    "action to date": [e.text for e in task.action_to_date.all()],
                    "future actions": [(a.text, a.target_date) for a in future],
                    "rag": task.rag,
                }
            )
        sections.append(
            (
                section.title,
                section.whole_partnership,
                sorted(a.name for a in section.agencies.all()),
                tasks,
            )
        )
    return {
        "title": plan.title,
        "version": plan.version_label,
        "running heading": plan.running_heading,
        "labels": [plan.rag_label(rag) for rag in ("red", "amber", "green", "blue", "")],
        "fourth colour": plan.rag_blue_enabled,
        "introduction": [(p.number, p.heading, p.text) for p in plan.introduction.all()],
        "status": plan.status,
        "sections": sections,
    }


@pytest.fixture
def rated_stockton(stockton, police_lead, plan_manager):
    """Stockton with progress recorded the app's way: ratings, entries, a future action."""
    for rag, task in zip(["red", "amber", "green"], KeyTask.objects.all()[:3], strict=True):
        record_update(
            task_id=task.pk,
            user=plan_manager,
            expected_version=task.version,
            change=TaskChange(
                rag=rag,
                reason="Board review",
                new_actions=[f"Progress on {task.pk}"],
                new_future_actions=[("Review again at the next board", None)],
            ),
        )
    return stockton


@pytest.fixture
def brag_stockton(rated_stockton, plan_manager):
    """Rated Stockton with the fourth colour ("Embedded") on, a task rated blue and a
    task withdrawn after progress was recorded on it."""
    editing.edit_details(
        plan_id=rated_stockton.pk,
        user=plan_manager,
        expected_version=rated_stockton.version,
        details={"rag_blue_enabled": True, "rag_blue_label": "Embedded"},
    )
    blue, withdrawn = KeyTask.objects.filter(section__plan=rated_stockton).order_by("pk")[3:5]
    for task, rag in ((blue, "blue"), (withdrawn, "amber")):
        record_update(
            task_id=task.pk,
            user=plan_manager,
            expected_version=task.version,
            change=TaskChange(rag=rag, reason="Board review"),
        )
    editing.remove_task(
        task_id=withdrawn.pk,
        user=plan_manager,
        expected_version=ActionPlan.objects.get(pk=rated_stockton.pk).version,
        reason="Merged into another task",
    )
    return ActionPlan.objects.get(pk=rated_stockton.pk)


def test_stockton_leads_whose_words_name_no_agency_keep_their_agencies(stockton):
    """The six Stockton tasks led by people or groups named without their agency."""
    data = render_plan_docx(stockton)
    parsed = read_plan(data, stockton.inspection)
    exported = [sorted(lead.agency_ids) for task in parsed.tasks for lead in task.leads]
    stored = [
        sorted(a.pk for a in lead.agencies.all())
        for lead in Lead.objects.filter(task__section__plan=stockton).order_by(
            "task__section__position", "task__position", "position"
        )
    ]
    assert exported == stored
    names = [lead.name for task in parsed.tasks for lead in task.leads]
    assert names == list(
        Lead.objects.filter(task__section__plan=stockton)
        .order_by("task__section__position", "task__position", "position")
        .values_list("name", flat=True)
    )


def test_export_then_import_into_a_new_plan_gives_everything_back(rated_stockton, plan_manager):
    parsed = read_plan(render_plan_docx(rated_stockton), rated_stockton.inspection)
    imported = import_plan(parsed=parsed, inspection=rated_stockton.inspection, user=plan_manager)
    assert imported.pk != rated_stockton.pk
    assert imported.status == ActionPlan.Status.SUBMITTED
    assert full_snapshot(imported) == full_snapshot(rated_stockton)


def test_export_then_import_into_itself_reports_no_changes(rated_stockton, plan_manager):
    parsed = read_plan(render_plan_docx(rated_stockton), rated_stockton.inspection)
    plan, sections = load_plan(rated_stockton.pk)
    diff = diff_plan(plan, sections, parsed)
    assert diff.is_empty, diff
    history = (PlanChange.objects.count(), TaskUpdate.objects.count())
    written = apply_import(
        plan_id=plan.pk,
        parsed=parsed,
        user=plan_manager,
        expected_version=plan.version,
        filename="stockton.docx",
    )
    assert written == 0
    assert (PlanChange.objects.count(), TaskUpdate.objects.count()) == history


def test_export_then_import_into_a_blank_plan_gives_every_cell_lead_agency_and_status(
    rated_stockton, plan_manager
):
    before = full_snapshot(rated_stockton)
    blank = drafting.start_plan(
        inspection=rated_stockton.inspection, user=plan_manager, title="Blank", from_findings=False
    )
    parsed = read_plan(render_plan_docx(rated_stockton), rated_stockton.inspection)
    plan, sections = load_plan(blank.pk)
    diff = diff_plan(plan, sections, parsed)
    assert {c.column for c in diff.details} >= {"Title", "Introduction", "Status"}
    assert [s.kind for s in diff.sections] == ["added"] * 5
    assert [t.kind for t in diff.tasks] == ["added"] * 25
    assert all(t.cells[0].column == "Key task" for t in diff.tasks)

    apply_import(
        plan_id=blank.pk,
        parsed=parsed,
        user=plan_manager,
        expected_version=blank.version,
        filename="stockton.docx",
    )
    after = full_snapshot(blank)
    assert after == before
    # Arrived as recorded changes: a history row per section and task added, and the
    # progress of each task as one recorded update (as a lead's save).
    changes = PlanChange.objects.filter(plan=blank)
    assert changes.filter(action=PlanChange.Action.TASK_ADDED).count() == 25
    assert changes.filter(action=PlanChange.Action.SECTION_ADDED).count() == 5
    assert changes.filter(action=PlanChange.Action.IMPORTED).get().changes == {
        "status": ["draft", "submitted"]
    }
    with_progress = KeyTask.objects.filter(section__plan=blank).exclude(
        action_to_date=None, future_actions=None, rag=""
    )
    updates = TaskUpdate.objects.filter(task__section__plan=blank)
    assert updates.count() == with_progress.distinct().count() > 0
    assert all(u.reason == "Imported from Word (stockton.docx)" for u in updates)


def test_a_brag_plan_with_a_withdrawn_task_round_trips_into_itself_without_changes(
    brag_stockton, plan_manager
):
    data = render_plan_docx(brag_stockton)
    parsed = read_plan(data, brag_stockton.inspection)
    assert len(parsed.tasks) == 24  # the withdrawn task is not in the Word copy
    assert parsed.rag_labels["blue"] == "Embedded"
    assert [t.rag for t in parsed.tasks].count("blue") == 1
    plan, sections = load_plan(brag_stockton.pk)
    assert diff_plan(plan, sections, parsed).is_empty  # its absence is no change
    history = (PlanChange.objects.count(), TaskUpdate.objects.count())
    written = apply_import(
        plan_id=plan.pk,
        parsed=parsed,
        user=plan_manager,
        expected_version=plan.version,
        filename="stockton.docx",
    )
    assert written == 0
    assert (PlanChange.objects.count(), TaskUpdate.objects.count()) == history
    assert KeyTask.objects.filter(section__plan=plan, withdrawn_at__isnull=False).count() == 1


def test_a_brag_plan_into_a_blank_plan_gives_every_live_task_and_the_fourth_colour_back(
    brag_stockton, plan_manager
):
    before = full_snapshot(brag_stockton)
    assert before["fourth colour"] and before["labels"][3] == "Embedded"
    blank = drafting.start_plan(
        inspection=brag_stockton.inspection, user=plan_manager, title="Blank", from_findings=False
    )
    parsed = read_plan(render_plan_docx(brag_stockton), brag_stockton.inspection)
    plan, sections = load_plan(blank.pk)
    diff = diff_plan(plan, sections, parsed)
    details = {c.column: (c.before, c.after) for c in diff.details}
    assert details["Fourth colour (blue)"] == ("No", "Yes")
    assert details["RAG blue"] == ("Completed and embedded", "Embedded")
    assert [t.kind for t in diff.tasks] == ["added"] * 24

    apply_import(
        plan_id=blank.pk,
        parsed=parsed,
        user=plan_manager,
        expected_version=blank.version,
        filename="stockton.docx",
    )
    assert full_snapshot(blank) == before
    blue = KeyTask.objects.get(section__plan=blank, rag="blue")
    assert blue.history.get().changes["rag"] == ["", "blue"]

    # And into a new plan.
    imported = import_plan(parsed=parsed, inspection=brag_stockton.inspection, user=plan_manager)
    assert full_snapshot(imported) == before


def test_import_into_the_plan_shows_and_applies_each_changed_cell_as_recorded_updates(
    rated_stockton, plan_manager
):
    data = render_plan_docx(rated_stockton)
    task = KeyTask.objects.filter(section__plan=rated_stockton, rag="red").get()
    # Since the export, the plan changed: the document now differs in two cells.
    record_update(
        task_id=task.pk,
        user=plan_manager,
        expected_version=KeyTask.objects.get(pk=task.pk).version,
        change=TaskChange(rag="green", reason="Done"),
    )
    KeyTask.objects.filter(pk=task.pk).update(description="Changed in the app")
    parsed = read_plan(data, rated_stockton.inspection)
    plan, sections = load_plan(rated_stockton.pk)
    diff = diff_plan(plan, sections, parsed)
    assert [(t.kind, [c.column for c in t.cells]) for t in diff.tasks] == [
        ("changed", ["Key task", "RAG"])
    ]
    cells = {c.column: (c.before, c.after) for c in diff.tasks[0].cells}
    assert cells["RAG"] == ("Completed", "Behind schedule")
    assert cells["Key task"][0] == "Changed in the app"
    updates_before = task.history.count()
    apply_import(
        plan_id=plan.pk,
        parsed=parsed,
        user=plan_manager,
        expected_version=plan.version,
        filename="board copy.docx",
    )
    task.refresh_from_db()
    assert task.rag == "red"
    assert task.description != "Changed in the app"
    assert task.history.count() == updates_before + 1  # history kept, one more row
    latest = task.history.latest("pk")
    assert latest.changes["rag"] == ["green", "red"]
    assert latest.reason == "Imported from Word (board copy.docx)"
    edited = PlanChange.objects.filter(plan=plan, action=PlanChange.Action.TASK_EDITED).get()
    assert edited.changes["description"][0] == "Changed in the app"
    assert diff_plan(*load_plan(plan.pk), parsed).is_empty


def test_an_alias_a_plan_manager_adds_matches_a_lead(stockton, plan_manager):
    council = Agency.objects.get(name="Stockton-on-Tees Borough Council")
    area = stockton.inspection.area
    from actionplans.imports.leads import AgencyMatcher, agency_aliases

    matcher = AgencyMatcher(area.agencies.all(), agency_aliases(area))
    assert matcher.read_lead("Children's Hub manager, Stockton Council").agency_ids == [council.pk]
    plain = AgencyMatcher(area.agencies.all(), agency_aliases(area))
    assert council.pk in plain.read_lead("Stockton Council").agency_ids  # "council" kind
    AgencyAlias.objects.create(area=area, agency=council, alias="The Hub Board")
    matcher = AgencyMatcher(area.agencies.all(), agency_aliases(area))
    assert matcher.read_lead("The Hub Board").agency_ids == [council.pk]
    assert matcher.read_lead("Ann Smith [The Hub Board]").name == "Ann Smith"


def test_the_import_preview_into_a_plan_shows_the_diff_and_applies_it(
    client, rated_stockton, plan_manager
):
    from .test_plan_import import upload  # the upload step as the browser sends it

    client.force_login(plan_manager)
    data = render_plan_docx(rated_stockton)
    task = KeyTask.objects.filter(section__plan=rated_stockton, rag="amber").get()
    record_update(
        task_id=task.pk,
        user=plan_manager,
        expected_version=KeyTask.objects.get(pk=task.pk).version,
        change=TaskChange(rag="red", reason="Slipped"),
    )
    preview_url = upload(client, rated_stockton.inspection, data)["Location"]
    html = client.get(preview_url).content.decode()
    assert f"?into={rated_stockton.pk}" in html
    diff_url = f"{preview_url}?into={rated_stockton.pk}"
    html = client.get(diff_url).content.decode()
    assert "1 cell" in html and "Behind schedule" in html and "On track" in html
    response = client.post(preview_url, {"into": rated_stockton.pk, "version": 1})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.rag == "amber"
    assert ActionPlan.objects.filter(inspection=rated_stockton.inspection).count() == 1


def test_a_diff_applied_to_a_plan_changed_meanwhile_can_be_checked_and_applied_again(
    client, rated_stockton, plan_manager
):
    from .test_plan_import import upload

    client.force_login(plan_manager)
    task = KeyTask.objects.filter(section__plan=rated_stockton, rag="amber").get()
    data = render_plan_docx(rated_stockton)
    record_update(
        task_id=task.pk,
        user=plan_manager,
        expected_version=KeyTask.objects.get(pk=task.pk).version,
        change=TaskChange(rag="red", reason="Slipped"),
    )
    preview_url = upload(client, rated_stockton.inspection, data)["Location"]
    version = rated_stockton.version

    # Applied from a page older than the plan: refused, and the same upload still waits.
    response = client.post(
        preview_url, {"into": rated_stockton.pk, "version": version + 1}, follow=True
    )
    html = response.content.decode()
    assert "The plan changed while you were checking the differences" in html
    assert "1 cell" in html and "no longer here" not in html
    task.refresh_from_db()
    assert task.rag == "red"

    response = client.post(preview_url, {"into": rated_stockton.pk, "version": version})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.rag == "amber"


def test_the_diff_page_does_a_fixed_number_of_queries_whatever_the_plan_size(
    client, stockton, plan_manager, django_assert_num_queries
):
    from .plan_factory import make_generated_plan
    from .test_plan_import import upload

    client.force_login(plan_manager)
    big = make_generated_plan(stockton.inspection, tasks=100)
    preview_url = upload(client, stockton.inspection, render_plan_docx(stockton))["Location"]
    # session, user, memberships, the waiting upload's inspection, the area's agencies, its
    # findings, their other names, the target plan and its manager check, the plan loaded
    # for the diff with its introduction, sections, section agencies, tasks and their
    # leads, lead agencies, action to date, future actions, findings; the agencies' names
    with django_assert_num_queries(DIFF_PAGE_QUERIES):
        assert client.get(f"{preview_url}?into={stockton.pk}").status_code == 200
    with django_assert_num_queries(DIFF_PAGE_QUERIES):
        assert client.get(f"{preview_url}?into={big.pk}").status_code == 200


DIFF_PAGE_QUERIES = 20
