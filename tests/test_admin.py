"""The admin is for site operators (superusers) only; key tasks and their history are
read-only there, even for superusers.

The security review (issue 11) found that a plan manager with staff status could write to
another area and read everyone's names through the admin. Each request it made is
replayed here by a staff plan manager holding every model permission: each is refused
(the admin's sign-in page) and nothing is written or shown.
"""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from actionplans.models import ActionPlan, KeyTask, PlanSection, TaskUpdate
from actionplans.services import TaskChange, record_update
from inspections.models import BoardMeeting, Finding, Inspection


@pytest.fixture
def staff_manager(plan_manager):
    """Stockton's plan manager as `seed_demo` used to make them: staff, and here every
    model permission there is."""
    plan_manager.is_staff = True
    plan_manager.save()
    plan_manager.user_permissions.set(Permission.objects.all())
    return plan_manager


@pytest.fixture
def durham(other_area):
    """Area 2: an inspection with a finding, and a plan with a section and a task."""
    inspection = Inspection.objects.create(
        area=other_area,
        fieldwork_start=date(2019, 1, 7),
        fieldwork_end=date(2019, 1, 11),
        letter_published=date(2019, 3, 1),
        report_received=date(2019, 3, 1),
    )
    finding = Finding.objects.create(
        inspection=inspection, kind="improvement", position=1, text="Durham finding"
    )
    plan = ActionPlan.objects.create(inspection=inspection, title="Durham plan")
    section = PlanSection.objects.create(plan=plan, position=1, title="Durham section")
    task = KeyTask.objects.create(section=section, position=1, description="Durham task")
    return {
        "area": other_area,
        "inspection": inspection,
        "finding": finding,
        "plan": plan,
        "section": section,
        "task": task,
    }


def _management(*prefixes):
    """Empty inline formsets: the request adds or changes no inline row."""
    data = {}
    for prefix in prefixes:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def _stockton_task(stockton):
    return KeyTask.objects.filter(section__plan=stockton).order_by("pk").first()


TASK_INLINES = ("leads", "action_to_date", "future_actions", "history")


def _task_form(task, **changes):
    """The change form of a key task as the admin's page offered it, with changes."""
    data = {
        "section": str(task.section_id),
        "position": str(task.position),
        "description": task.description,
        "success_measures": task.success_measures,
        "rag": task.rag,
        "findings": [str(pk) for pk in task.findings.values_list("pk", flat=True)],
        **_management(*TASK_INLINES),
    }
    return data | changes


# Each write of finding 1: (name, url, data), given the fixtures.
WRITES = {
    "add a board meeting to area 2": lambda s, d: (
        reverse("admin:inspections_boardmeeting_add"),
        {"area": d["area"].pk, "date": "2019-05-01", "title": "Durham board"},
    ),
    "add a finding to area 2": lambda s, d: (
        reverse("admin:inspections_finding_add"),
        {
            "inspection": d["inspection"].pk,
            "kind": "improvement",
            "position": "2",
            "text": "Planted finding",
        },
    ),
    "add a plan to area 2": lambda s, d: (
        reverse("admin:actionplans_actionplan_add"),
        {
            "inspection": d["inspection"].pk,
            "title": "Planted plan",
            "version_label": "",
            "status": "draft",
            "running_heading": "",
            "rag_red_label": "Red",
            "rag_amber_label": "Amber",
            "rag_green_label": "Green",
            "rag_blue_label": "Blue",
            "rag_unrated_label": "Unrated",
            **_management("introduction", "sections"),
        },
    ),
    "add a section to area 2's plan": lambda s, d: (
        reverse("admin:actionplans_plansection_add"),
        {"plan": d["plan"].pk, "position": "2", "title": "Planted section", **_management("tasks")},
    ),
    "add a key task to area 2's section": lambda s, d: (
        reverse("admin:actionplans_keytask_add"),
        {
            "section": d["section"].pk,
            "position": "2",
            "description": "Planted task",
            "success_measures": "",
            "rag": "",
            **_management(*TASK_INLINES),
        },
    ),
    "move a task into area 2's section": lambda s, d: (
        reverse("admin:actionplans_keytask_change", args=[_stockton_task(s).pk]),
        _task_form(_stockton_task(s), section=str(d["section"].pk), position="9"),
    ),
    "link a task to area 2's finding": lambda s, d: (
        reverse("admin:actionplans_keytask_change", args=[_stockton_task(s).pk]),
        _task_form(_stockton_task(s), findings=[str(d["finding"].pk)]),
    ),
}


def _snapshot():
    """Everything finding 1's requests could write."""
    return {
        "meetings": list(BoardMeeting.objects.values_list("area", "date", "title")),
        "findings": list(Finding.objects.values_list("pk", "inspection", "text")),
        "plans": list(ActionPlan.objects.values_list("pk", "inspection", "title")),
        "sections": list(PlanSection.objects.values_list("pk", "plan", "title")),
        "tasks": list(KeyTask.objects.values_list("pk", "section", "position", "version")),
        "links": list(KeyTask.findings.through.objects.values_list("keytask", "finding")),
        "history": TaskUpdate.objects.count(),
    }


def _refused_to_sign_in(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def _refused_to_sign_in_chain(chain):
    return chain[0][1] == 302 and chain[0][0].startswith(reverse("admin:login"))


@pytest.mark.parametrize("write", list(WRITES))
def test_staff_plan_manager_with_every_permission_cannot_write_through_the_admin(
    client, stockton, staff_manager, durham, write
):
    url, data = WRITES[write](stockton, durham)
    before = _snapshot()
    client.force_login(staff_manager)

    response = client.post(url, data)

    assert _refused_to_sign_in(response), (response.status_code, response.get("Location"))
    assert _snapshot() == before


@pytest.mark.parametrize(
    "write",
    [
        "add a board meeting to area 2",
        "add a finding to area 2",
        "add a plan to area 2",
        "add a section to area 2's plan",
    ],
)
def test_the_same_requests_are_what_an_operator_does(client, stockton, superuser, durham, write):
    """The refused requests above are well-formed: a superuser's same post is saved."""
    url, data = WRITES[write](stockton, durham)
    before = _snapshot()
    client.force_login(superuser)

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    assert _snapshot() != before


@pytest.mark.parametrize(
    "write",
    [
        "add a key task to area 2's section",
        "move a task into area 2's section",
        "link a task to area 2's finding",
    ],
)
def test_key_tasks_are_read_only_in_the_admin_even_for_operators(
    client, stockton, superuser, durham, write
):
    url, data = WRITES[write](stockton, durham)
    before = _snapshot()
    client.force_login(superuser)

    assert client.post(url, data).status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize(
    "page",
    [
        # The list filters offered every area's plans and sections.
        ("admin:actionplans_keytask_changelist", "?section__plan__id__exact={plan}"),
        ("admin:actionplans_plansection_changelist", ""),
        # The dropdowns of an add form listed every area's inspections and sections.
        ("admin:actionplans_keytask_add", ""),
        ("admin:inspections_boardmeeting_add", ""),
        ("admin:inspections_membership_changelist", ""),
        # Every username of the site.
        ("admin:auth_user_changelist", ""),
        ("admin:index", ""),
    ],
)
def test_staff_plan_manager_reads_nothing_through_the_admin(
    client, stockton, staff_manager, durham, other_area_lead, page
):
    name, query = page
    client.force_login(staff_manager)

    response = client.get(reverse(name) + query.format(plan=durham["plan"].pk), follow=True)

    html = response.content.decode()
    assert response.redirect_chain and _refused_to_sign_in_chain(response.redirect_chain)
    for secret in ["Durham plan", "Durham section", "Durham", other_area_lead.username]:
        assert secret not in html
    assert "not authorized to access this page" in html


def test_the_admin_autocomplete_lists_no_names(client, stockton, staff_manager, other_area_lead):
    client.force_login(staff_manager)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "inspections",
            "model_name": "membership",
            "field_name": "user",
            "term": "durham",
        },
    )
    assert _refused_to_sign_in(response)


def test_app_pages_offer_the_admin_only_to_operators(client, stockton, staff_manager, superuser):
    client.force_login(staff_manager)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()
    client.force_login(superuser)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_history_is_read_only_in_the_admin(client, superuser, police_lead, stockton):
    task = _stockton_task(stockton)
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
    assert client.post(url, {"reason": "rewritten"}).status_code == 403
    delete = reverse("admin:actionplans_taskupdate_delete", args=[update.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert TaskUpdate.objects.get(pk=update.pk).reason == "Behind"


@pytest.mark.parametrize("who", ["superuser", "staff_manager"])
def test_an_action_to_date_entry_and_its_author_cannot_be_rewritten(
    client, stockton, police_lead, council_lead, request, who
):
    """Finding 3: the entry's text and author were rewritten through the task's inline,
    with no history row and no new version."""
    task = _stockton_task(stockton)
    record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=task.version,
        change=TaskChange(new_actions=["Funding agreed for two PVP officers"]),
    )
    task.refresh_from_db()
    entry = task.action_to_date.get(text="Funding agreed for two PVP officers")
    entries_before = list(task.action_to_date.values_list("pk", "text", "added_by", "added_on"))
    history_before = list(TaskUpdate.objects.values_list("pk", "version", "changes"))
    entries = list(task.action_to_date.order_by("position"))
    data = _task_form(task) | {
        "action_to_date-TOTAL_FORMS": str(len(entries)),
        "action_to_date-INITIAL_FORMS": str(len(entries)),
    }
    for index, row in enumerate(entries):
        rewritten = row.pk == entry.pk
        data |= {
            f"action_to_date-{index}-id": str(row.pk),
            f"action_to_date-{index}-task": str(task.pk),
            f"action_to_date-{index}-position": str(row.position),
            f"action_to_date-{index}-text": "Nothing was done" if rewritten else row.text,
            f"action_to_date-{index}-added_on": f"{row.added_on:%Y-%m-%d}",
            f"action_to_date-{index}-added_by": str(
                council_lead.pk if rewritten else (row.added_by_id or "")
            ),
        }
    client.force_login(request.getfixturevalue(who))

    response = client.post(reverse("admin:actionplans_keytask_change", args=[task.pk]), data)

    assert response.status_code == 403 if who == "superuser" else _refused_to_sign_in(response)
    assert list(task.action_to_date.values_list("pk", "text", "added_by", "added_on")) == (
        entries_before
    )
    assert list(TaskUpdate.objects.values_list("pk", "version", "changes")) == history_before
    task_after = KeyTask.objects.get(pk=task.pk)
    assert task_after.version == task.version


def test_operators_still_read_every_area(client, superuser, durham):
    client.force_login(superuser)
    assert (
        "Durham task"
        in client.get(reverse("admin:actionplans_keytask_changelist")).content.decode()
    )


def test_an_inspection_is_entered_without_error_before_its_dates_are_known(
    client, superuser, other_area
):
    """Finding 4: the add page, and a post with no date the report was received, were 500s
    (the statutory deadline was worked out from a missing date)."""
    client.force_login(superuser)
    url = reverse("admin:inspections_inspection_add")
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "area": other_area.pk,
            "kind": "jtai",
            "theme": "neglect",
            "fieldwork_start": "2019-01-07",
            "fieldwork_end": "2019-01-11",
            "letter_published": "2019-03-01",
            "report_received": "",
            "statement_due_stated": "",
            "findings-TOTAL_FORMS": "0",
            "findings-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["report_received"] == [
        "This field is required."
    ]
    assert not Inspection.objects.exists()


def test_an_inspection_without_a_report_date_has_no_deadline_yet():
    inspection = Inspection(report_received=None)
    assert inspection.statement_due_computed is None
    assert inspection.statement_due is None
    assert inspection.working_days_remaining() is None
    inspection.statement_due_stated = date(2019, 6, 1)
    assert inspection.statement_due == date(2019, 6, 1)
