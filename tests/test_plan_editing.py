"""Editing a plan's structure in the app: every change recorded, none made from an old page."""

import pytest
from django.urls import reverse

from actionplans.editing import drafting, services
from actionplans.editing.services import LeadSpec, TaskContent
from actionplans.models import ActionPlan, KeyTask, PlanChange, TaskUpdate
from actionplans.services import TaskChange, record_update
from inspections.models import Agency, Finding


@pytest.fixture
def draft(stockton, plan_manager):
    """A plan drafted from the Stockton findings, as a plan manager starts one."""
    return drafting.start_plan(
        inspection=stockton.inspection, user=plan_manager, title="Draft plan", from_findings=True
    )


def latest(plan) -> PlanChange:
    return PlanChange.objects.filter(plan=plan).latest("pk")


def test_draft_from_findings_has_a_task_per_finding_needing_action_linked_to_it(draft):
    needing_action = Finding.objects.filter(inspection=draft.inspection).exclude(kind="strength")
    tasks = KeyTask.objects.filter(section__plan=draft)
    assert tasks.count() == needing_action.count() == 36
    for finding in needing_action:
        task = tasks.get(findings=finding)
        assert task.description == finding.text
    sections = list(draft.sections.order_by("position"))
    assert sections[0].title == "Actions across the whole partnership"
    assert sections[0].whole_partnership
    police = Agency.objects.get(name="Cleveland Police")
    police_section = draft.sections.get(title="Actions for Cleveland Police")
    assert list(police_section.agencies.all()) == [police]
    assert police_section.tasks.count() == 9
    # The lead of an agency's draft task is that agency, so its leads can update it.
    assert all(t.lead_agency_ids() == {police.pk} for t in police_section.tasks.all())
    created = latest(draft)
    assert created.action == PlanChange.Action.CREATED
    assert created.changes == {"from": "findings", "sections": len(sections), "key_tasks": 36}
    assert draft.version == 1 and draft.status == ActionPlan.Status.DRAFT


def test_the_draft_preview_is_what_is_written(stockton):
    preview = drafting.draft_from_findings(stockton.inspection)
    plan = drafting.start_plan(
        inspection=stockton.inspection, user=None, title="Same", from_findings=True
    )
    written = [
        (s.title, [t.description for t in s.tasks.order_by("position")])
        for s in plan.sections.order_by("position")
    ]
    assert written == [(s.title, [t.description for t in s.tasks]) for s in preview]


def test_every_structural_change_writes_its_history_row_with_who_and_why(draft, plan_manager):
    police = Agency.objects.get(name="Cleveland Police")
    council = Agency.objects.get(name="Stockton-on-Tees Borough Council")
    steps = []

    def version():
        return ActionPlan.objects.get(pk=draft.pk).version

    services.edit_details(
        plan_id=draft.pk,
        user=plan_manager,
        expected_version=version(),
        details={"title": "Neglect plan", "rag_green_label": "Done"},
        introduction=[("Introduction", "Why we act.")],
        reason="Board's wording",
    )
    steps.append(PlanChange.Action.DETAILS)
    section = services.add_section(
        plan_id=draft.pk,
        user=plan_manager,
        expected_version=version(),
        title="Actions for the council and police",
        agency_ids=[council.pk, police.pk],
        reason="Joint actions",
    )
    steps.append(PlanChange.Action.SECTION_ADDED)
    services.edit_section(
        section_id=section.pk,
        user=plan_manager,
        expected_version=version(),
        title="Joint actions",
        whole_partnership=False,
        agency_ids=[council.pk],
    )
    steps.append(PlanChange.Action.SECTION_EDITED)
    services.move_section(
        section_id=section.pk, user=plan_manager, expected_version=version(), up=True
    )
    steps.append(PlanChange.Action.SECTION_MOVED)
    content = TaskContent(
        description="Audit neglect cases",
        success_measures="Fewer repeat referrals",
        leads=[LeadSpec(name="Head of audit", agency_ids=[council.pk])],
        finding_ids=[Finding.objects.filter(kind="improvement").first().pk],
    )
    first = services.add_task(
        section_id=section.pk, user=plan_manager, expected_version=version(), content=content
    )
    steps.append(PlanChange.Action.TASK_ADDED)
    second = services.add_task(
        section_id=section.pk,
        user=plan_manager,
        expected_version=version(),
        content=TaskContent(description="Train staff"),
    )
    steps.append(PlanChange.Action.TASK_ADDED)
    content.leads.append(LeadSpec(name="All agencies", all_partners=True))
    services.edit_task(
        task_id=first.pk, user=plan_manager, expected_version=version(), content=content
    )
    steps.append(PlanChange.Action.TASK_EDITED)
    services.move_task(task_id=second.pk, user=plan_manager, expected_version=version(), up=True)
    steps.append(PlanChange.Action.TASK_MOVED)
    services.remove_task(
        task_id=second.pk, user=plan_manager, expected_version=version(), reason="Duplicate"
    )
    steps.append(PlanChange.Action.TASK_REMOVED)
    services.remove_task(
        task_id=first.pk, user=plan_manager, expected_version=version(), reason="Merged"
    )
    steps.append(PlanChange.Action.TASK_REMOVED)
    services.remove_section(
        section_id=section.pk, user=plan_manager, expected_version=version(), reason="Empty"
    )
    steps.append(PlanChange.Action.SECTION_REMOVED)

    changes = list(PlanChange.objects.filter(plan=draft).order_by("pk"))[1:]  # after "created"
    assert [c.action for c in changes] == steps
    assert [c.version for c in changes] == list(range(2, 2 + len(steps)))
    assert all(c.user == plan_manager and c.user_name == "Plan" for c in changes)
    details = changes[0]
    assert details.changes["title"] == ["Draft plan", "Neglect plan"]
    assert details.changes["rag_green_label"] == ["Completed", "Done"]
    assert details.reason == "Board's wording"
    edited = changes[6].changes
    assert set(edited) == {"leads"}
    assert edited["leads"][1][-1] == {
        "name": "All agencies",
        "agency_ids": [],
        "all_partners": True,
    }
    assert changes[-2].reason == "Merged"
    assert changes[-2].changes["task"][0]["description"] == "Audit neglect cases"


def test_a_change_from_an_old_page_is_refused_and_changes_nothing(draft, plan_manager):
    services.edit_details(
        plan_id=draft.pk, user=plan_manager, expected_version=1, details={"title": "First"}
    )
    with pytest.raises(services.StalePlan) as refused:
        services.edit_details(
            plan_id=draft.pk, user=plan_manager, expected_version=1, details={"title": "Second"}
        )
    assert refused.value.current.version == 2
    draft.refresh_from_db()
    assert draft.title == "First"
    assert PlanChange.objects.filter(plan=draft).count() == 2


def test_a_task_with_history_is_withdrawn_not_deleted(stockton, plan_manager, police_lead):
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=task.version,
        change=TaskChange(rag="amber", reason="Started"),
    )
    services.remove_task(
        task_id=task.pk,
        user=plan_manager,
        expected_version=stockton.version,
        reason="Replaced by the new PVP review",
    )
    task.refresh_from_db()
    assert task.is_withdrawn
    assert task.withdrawn_reason == "Replaced by the new PVP review"
    assert TaskUpdate.objects.filter(task=task).count() == 1
    change = latest(stockton)
    assert change.action == PlanChange.Action.TASK_WITHDRAWN and change.task == task
    with pytest.raises(services.CannotRemove):
        services.remove_task(
            task_id=task.pk, user=plan_manager, expected_version=change.version, reason="again"
        )


def test_a_section_with_tasks_cannot_be_removed(stockton, plan_manager):
    section = stockton.sections.get(position=1)
    with pytest.raises(services.CannotRemove):
        services.remove_section(
            section_id=section.pk, user=plan_manager, expected_version=1, reason="x"
        )
    assert stockton.sections.filter(pk=section.pk).exists()
    assert not PlanChange.objects.filter(plan=stockton).exists()


def test_history_cannot_be_edited_or_deleted(draft):
    change = latest(draft)
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        change.delete()
    with pytest.raises(TypeError):
        PlanChange.objects.filter(plan=draft).update(reason="rewritten")
    with pytest.raises(TypeError):
        PlanChange.objects.filter(plan=draft).delete()


# -- the pages --------------------------------------------------------------------------


def test_plan_manager_adds_a_key_task_with_leads_and_findings_in_the_browser_form(
    client, draft, plan_manager
):
    client.force_login(plan_manager)
    section = draft.sections.get(position=1)
    police = Agency.objects.get(name="Cleveland Police")
    finding = Finding.objects.filter(kind="improvement").first()
    url = reverse("task_add", args=[draft.pk, section.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": draft.version,
            "description": "Audit the use of the neglect toolkit",
            "success_measures": "Toolkit used in 90% of cases\r\nFewer re-referrals",
            "findings": [finding.pk],
            "leads-TOTAL_FORMS": "2",
            "leads-INITIAL_FORMS": "0",
            "leads-0-name": "D. Supt. PVP",
            "leads-0-agencies": [police.pk],
            "leads-1-name": "",
            "reason": "Agreed at the task and finish group",
        },
    )
    assert response.status_code == 302
    task = section.tasks.get(description="Audit the use of the neglect toolkit")
    assert task.success_measure_list == ["Toolkit used in 90% of cases", "Fewer re-referrals"]
    assert [(lead.name, list(lead.agencies.all())) for lead in task.leads.all()] == [
        ("D. Supt. PVP", [police])
    ]
    assert list(task.findings.all()) == [finding]
    change = latest(draft)
    assert change.action == PlanChange.Action.TASK_ADDED
    assert change.reason == "Agreed at the task and finish group"


def test_bad_input_is_explained_and_changes_nothing(client, draft, plan_manager):
    client.force_login(plan_manager)
    section = draft.sections.get(position=1)
    before = PlanChange.objects.count()
    response = client.post(
        reverse("task_add", args=[draft.pk, section.pk]),
        {
            "version": draft.version,
            "description": "",
            "leads-TOTAL_FORMS": "1",
            "leads-INITIAL_FORMS": "0",
            "leads-0-name": "",
            "leads-0-all_partners": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the key task" in html
    assert "Enter the lead&#x27;s name, or clear its agencies" in html
    assert html.count('class="govuk-error-summary"') == 1
    assert PlanChange.objects.count() == before


def test_an_edit_from_an_old_page_keeps_what_was_typed(client, draft, plan_manager):
    client.force_login(plan_manager)
    services.edit_details(
        plan_id=draft.pk, user=plan_manager, expected_version=1, details={"title": "Meanwhile"}
    )
    data = {
        "version": 1,
        "title": "My new title",
        "rag_red_label": "Red",
        "rag_amber_label": "Amber",
        "rag_green_label": "Green",
        "rag_unrated_label": "None",
        "intro-TOTAL_FORMS": "1",
        "intro-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("plan_details", args=[draft.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed the plan" in html
    assert 'value="My new title"' in html
    assert 'name="version" value="2"' in html
    draft.refresh_from_db()
    assert draft.title == "Meanwhile"


def test_move_buttons_reorder_without_javascript(client, draft, plan_manager):
    client.force_login(plan_manager)
    section = draft.sections.get(title="Actions for Cleveland Police")
    first, second = section.tasks.order_by("position")[:2]
    response = client.post(
        reverse("task_move", args=[draft.pk, second.pk]), {"version": draft.version, "up": "1"}
    )
    assert response.status_code == 302
    assert list(section.tasks.order_by("position")[:2]) == [second, first]
    assert latest(draft).action == PlanChange.Action.TASK_MOVED


def test_a_section_or_task_of_another_plan_is_not_found(client, draft, stockton, plan_manager):
    client.force_login(plan_manager)
    other_section = stockton.sections.first()
    other_task = KeyTask.objects.filter(section__plan=stockton).first()
    assert client.get(reverse("section_edit", args=[draft.pk, other_section.pk])).status_code == 404
    assert client.get(reverse("task_edit", args=[draft.pk, other_task.pk])).status_code == 404


def test_withdrawn_task_shows_as_withdrawn_with_its_reason_on_the_plan(
    client, stockton, plan_manager
):
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    services.remove_task(
        task_id=task.pk, user=plan_manager, expected_version=1, reason="No longer needed"
    )
    client.force_login(plan_manager)
    html = client.get(reverse("plan_detail", args=[stockton.pk])).content.decode()
    assert "Withdrawn" in html and "No longer needed" in html
    history = client.get(reverse("plan_history", args=[stockton.pk])).content.decode()
    assert "Key task withdrawn" in history and "No longer needed" in history
    services.edit_details(
        plan_id=stockton.pk,
        user=plan_manager,
        expected_version=2,
        details={"version_label": "Board copy, July 2018"},
    )
    history = client.get(reverse("plan_history", args=[stockton.pk])).content.decode()
    assert "Version label: <del>Final Draft 18/04/18</del> → <ins>Board copy, July 2018</ins>" in (
        history
    )


EDIT_PAGE_QUERIES = 13


def test_edit_page_queries_do_not_grow_with_the_plan(
    client, stockton, plan_manager, django_assert_num_queries
):
    client.force_login(plan_manager)
    url = reverse("plan_edit", args=[stockton.pk])
    with django_assert_num_queries(EDIT_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    drafting.start_plan(
        inspection=stockton.inspection, user=plan_manager, title="More", from_findings=True
    )
    more = stockton.sections.get(position=1)
    for task in KeyTask.objects.filter(section__plan__title="More"):
        task.section, task.position = more, 1000 + task.pk
        task.save()
    with django_assert_num_queries(EDIT_PAGE_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("plan_history", 5),
        ("plan_start", 6),
        ("plan_details", 6),
        ("section_add", 6),
        ("section_edit", 8),
        ("section_remove", 6),
        ("task_add", 8),
        ("task_edit", 12),
        ("task_remove", 11),
        ("plan_agree", 6),
        ("plan_submit", 5),
        ("plan_close", 6),
        ("agency_aliases", 9),
    ],
)
def test_new_pages_do_a_fixed_number_of_queries(
    client, stockton, plan_manager, django_assert_num_queries, name, queries
):
    client.force_login(plan_manager)
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    section = task.section
    args = {
        "plan_start": [stockton.inspection_id],
        "section_edit": [stockton.pk, section.pk],
        "section_remove": [stockton.pk, section.pk],
        "task_add": [stockton.pk, section.pk],
        "task_edit": [stockton.pk, task.pk],
        "task_remove": [stockton.pk, task.pk],
    }.get(name, [stockton.pk])
    with django_assert_num_queries(queries):
        assert client.get(reverse(name, args=args)).status_code == 200


def test_a_withdrawn_task_is_no_longer_updated_or_counted(client, stockton, police_lead):
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    client.force_login(police_lead)
    assert client.get(reverse("task_update", args=[task.pk])).status_code == 200
    services.remove_task(task_id=task.pk, user=None, expected_version=1, reason="Replaced")
    assert client.get(reverse("task_update", args=[task.pk])).status_code == 403
    assert client.get(reverse("task_detail", args=[task.pk])).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert "24 key tasks" in home


def test_a_withdrawn_task_is_kept_as_it_was(client, stockton, plan_manager):
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    change = services.remove_task(
        task_id=task.pk, user=plan_manager, expected_version=1, reason="Replaced"
    )
    with pytest.raises(services.TaskWithdrawn):
        services.edit_task(
            task_id=task.pk,
            user=plan_manager,
            expected_version=change.version,
            content=TaskContent(description="Rewritten"),
        )
    client.force_login(plan_manager)
    assert client.get(reverse("task_edit", args=[stockton.pk, task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.description.startswith("Review capacity in the PVP")


def test_a_plan_imported_from_word_starts_its_history(client, stockton, plan_manager):
    from actionplans.exports.docx import render_plan_docx
    from actionplans.imports.services import import_plan, read_plan

    parsed = read_plan(render_plan_docx(stockton), stockton.inspection)
    plan = import_plan(parsed=parsed, inspection=stockton.inspection, user=plan_manager)
    created = PlanChange.objects.get(plan=plan)
    assert created.action == PlanChange.Action.CREATED
    assert created.changes == {"from": "word", "sections": 5, "key_tasks": 25}
    assert created.user == plan_manager and plan.version == 1


def test_home_lists_the_managers_inspections_waiting_for_a_plan(
    client, stockton, plan_manager, board_member, other_area
):
    from datetime import date

    from inspections.models import Inspection

    def inspection(area):
        return Inspection.objects.create(
            area=area,
            theme="criminal exploitation",
            fieldwork_start=date(2019, 3, 4),
            fieldwork_end=date(2019, 3, 8),
            letter_published=date(2019, 4, 30),
            report_received=date(2019, 4, 30),
        )

    waiting = inspection(stockton.inspection.area)
    elsewhere = inspection(other_area)
    client.force_login(plan_manager)
    html = client.get(reverse("home")).content.decode()
    assert reverse("plan_start", args=[waiting.pk]) in html
    assert reverse("plan_start", args=[elsewhere.pk]) not in html
    assert reverse("plan_start", args=[stockton.inspection_id]) not in html  # has a plan
    client.force_login(board_member)
    assert "Inspections waiting for a plan" not in client.get(reverse("home")).content.decode()
