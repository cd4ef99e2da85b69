"""One table of who gets what from every URL of the app (pretix-style).

Every URL pattern the app has must appear here: `test_every_view_is_in_the_table`
fails when a new view is added without its rows. Columns are the people of
tests/conftest.py; anonymous users are sent to the login page (302). Rows name the
Stockton plan unless they say Hartlepool, the second area Cleveland Police serves.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actionplans.models import ActionPlan, BoardPack, Evidence, KeyTask
from inspections.models import BoardMeeting, Invitation, Membership
from inspections.people.models import hash_token
from tests.conftest import (
    NAMED_PEOPLE,
    create_hartlepool_plan,
    create_named_person,
    create_other_area,
    create_superuser,
)

ROLES = [
    "anonymous",
    "police_lead",  # lead of the task's agency (the police task below)
    "council_lead",  # lead of another agency of the same area
    "other_area_lead",  # lead of an agency of another area only
    "board_member",
    "other_board_member",
    "plan_manager",
    "superuser",
    "hartlepool_police_lead",  # Cleveland Police lead in Hartlepool (a second area) only
    "hartlepool_manager",  # plan manager of Hartlepool
]

# URL names served by Django itself, not by our views.
NOT_OURS = {"login", "logout"}


def police_task(plan):
    return KeyTask.objects.get(description__startswith="Review capacity in the PVP")


def board_meeting(plan):
    return BoardMeeting.objects.get_or_create(area=plan.inspection.area, date=date(2018, 7, 12))[0]


def awaiting_task(plan):
    """The police task, proposed as completed by its lead."""
    task = police_task(plan)
    KeyTask.objects.filter(pk=task.pk).update(awaiting_confirmation_since=timezone.now())
    return task


def police_evidence(plan, task=None):
    task = task or police_task(plan)
    evidence = Evidence(
        task=task,
        kind=Evidence.Kind.FILE,
        original_name="audit.pdf",
        content_type="application/pdf",
        size=8,
        note="The audit",
        added_at=timezone.now(),
        added_by_name="Police Lead",
    )
    evidence.file.save("audit.pdf", ContentFile(b"%PDF-1.4"), save=False)
    evidence.save()
    return evidence


def ready_pack(plan):
    pack = BoardPack(
        plan=plan,
        meeting=board_meeting(plan),
        requested_at=timezone.now(),
        status=BoardPack.Status.READY,
    )
    pack.file.save("pack.pdf", ContentFile(b"%PDF-1.4"), save=False)
    pack.save()
    return pack


def hartlepool():
    return ActionPlan.objects.get(inspection__area__name="Hartlepool")


def hartlepool_task():
    return KeyTask.objects.get(description__startswith="Hartlepool: review missing")


def stockton_membership(plan):
    """The Stockton police lead's role, as the People pages address it."""
    police_lead = Membership.objects.get(user__username="police.lead")
    return [plan.inspection.area_id, police_lead.pk]


def hartlepool_membership():
    membership = Membership.objects.get(user__username="hartlepool.police")
    return [membership.area_id, membership.pk]


def invitation_of(area):
    invitation = Invitation.objects.create(
        area=area,
        email="new.person@example.org",
        role="board",
        token_hash=hash_token(f"token-{area.pk}"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    return [area.pk, invitation.pk]


def live_token(plan):
    invitation_of(plan.inspection.area)
    return f"token-{plan.inspection.area_id}"


# Who gets what from the People pages of each area.
STOCKTON_PEOPLE = [302, 403, 403, 404, 403, 404, 200, 200, 404, 404]
HARTLEPOOL_PEOPLE = [302, 404, 404, 404, 404, 404, 404, 200, 403, 200]


def section(plan):
    return plan.sections.get(position=2)


def submitted(plan):
    """The Stockton plan with a PDF as submitted stored (a few bytes stand for it)."""
    plan.submitted_pdf.save("as-submitted.pdf", ContentFile(b"%PDF-1.7 as sent"), save=True)
    return [plan.pk]


# The plan's life on the Stockton plan; Hartlepool's lead and manager do not see it.
MANAGERS_ONLY = [302, 403, 403, 404, 403, 404, 200, 200, 404, 404]
MANAGERS_REDIRECTED = [302, 403, 403, 404, 403, 404, 302, 302, 404, 404]
READERS = [302, 200, 200, 404, 200, 404, 200, 200, 404, 404]
# The same pages of the Hartlepool plan: its manager edits it, Stockton's cannot.
HARTLEPOOL_MANAGERS_ONLY = [302, 404, 404, 404, 404, 404, 404, 200, 403, 200]

# (url name, how to build its args from the Stockton plan, method, statuses in ROLES order)
TABLE = [
    ("home", lambda plan: [], "GET", [302, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    (
        "plan_detail",
        lambda plan: [plan.pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "inspection_detail",
        lambda plan: [plan.inspection_id],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    # Word in, Word out (issue 6): importing and exporting are for plan managers.
    ("plan_import", lambda plan: [], "GET", [302, 403, 403, 403, 403, 403, 200, 200, 403, 200]),
    ("plan_import", lambda plan: [], "POST", [302, 403, 403, 403, 403, 403, 200, 200, 403, 200]),
    (
        "plan_import_preview",
        lambda plan: ["no-upload-waiting"],  # a token not in the user's session
        "GET",
        [302, 403, 403, 403, 403, 403, 404, 404, 403, 404],
    ),
    (
        "plan_import_preview",
        lambda plan: ["no-upload-waiting"],
        "POST",
        [302, 403, 403, 403, 403, 403, 404, 404, 403, 404],
    ),
    (
        "plan_export_docx",
        lambda plan: [plan.pk],
        "GET",
        [302, 403, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    (
        "plan_export_docx",
        lambda plan: [plan.pk],
        "POST",
        [302, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    ),
    # Issue 3: "Your tasks", the task page and the update page. A POST of an empty form
    # by someone allowed is a page with errors (200), never a save.
    ("your_tasks", lambda plan: [], "GET", [302, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    (
        "task_detail",
        lambda plan: [police_task(plan).pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "task_update",
        lambda plan: [police_task(plan).pk],
        "GET",
        [302, 200, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    (
        "task_update",
        lambda plan: [police_task(plan).pk],
        "POST",
        [302, 200, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    # The board's dashboard (issue 4): everyone who may read the plan; meetings are recorded
    # by the area's plan managers. /healthz/ answers everyone, signed in or not.
    (
        "dashboard",
        lambda plan: [plan.pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "task_list",
        lambda plan: [plan.pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "task_list_csv",
        lambda plan: [plan.pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "task_list_xlsx",
        lambda plan: [plan.pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "board_meetings",
        lambda plan: [plan.pk],
        "GET",
        [302, 403, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    # An empty form: re-shown with its errors.
    (
        "board_meetings",
        lambda plan: [plan.pk],
        "POST",
        [302, 403, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    (
        "board_meeting_delete",
        lambda plan: [plan.pk, board_meeting(plan).pk],
        "POST",
        [302, 403, 403, 404, 403, 404, 302, 302, 404, 404],
    ),
    # Adding an inspection from its letter (issue 9): plan managers and superusers. POST
    # without a file re-shows the form with its error.
    ("letter_upload", lambda plan: [], "GET", [302, 403, 403, 403, 403, 403, 200, 200, 403, 200]),
    ("letter_upload", lambda plan: [], "POST", [302, 403, 403, 403, 403, 403, 200, 200, 403, 200]),
    ("letter_by_hand", lambda plan: [], "GET", [302, 403, 403, 403, 403, 403, 200, 200, 403, 200]),
    ("letter_by_hand", lambda plan: [], "POST", [302, 403, 403, 403, 403, 403, 200, 200, 403, 200]),
    (
        "letter_preview",
        lambda plan: ["no-letter-waiting"],  # a token not in the user's session
        "GET",
        [302, 403, 403, 403, 403, 403, 404, 404, 403, 404],
    ),
    (
        "letter_preview",
        lambda plan: ["no-letter-waiting"],
        "POST",
        [302, 403, 403, 403, 403, 403, 404, 404, 403, 404],
    ),
    ("healthz", lambda plan: [], "GET", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    # Whoever may read the plan may export it (issue 5). POST is refused for any plan id,
    # so its 405 says nothing about which plans exist.
    (
        "plan_export_pdf",
        lambda plan: [plan.pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "plan_export_pdf",
        lambda plan: [plan.pk],
        "POST",
        [302, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    ),
    # Issue 11: a lead leads for their agency in the areas they hold a lead role in. The
    # Stockton-only police lead cannot see or edit Cleveland Police's Hartlepool task.
    (
        "plan_detail",
        lambda plan: [hartlepool().pk],
        "GET",
        [302, 404, 404, 404, 404, 404, 404, 200, 200, 200],
    ),
    (
        "task_detail",
        lambda plan: [hartlepool_task().pk],
        "GET",
        [302, 404, 404, 404, 404, 404, 404, 200, 200, 200],
    ),
    (
        "task_update",
        lambda plan: [hartlepool_task().pk],
        "GET",
        [302, 404, 404, 404, 404, 404, 404, 200, 200, 200],
    ),
    (
        "task_update",
        lambda plan: [hartlepool_task().pk],
        "POST",
        [302, 404, 404, 404, 404, 404, 404, 200, 200, 200],
    ),
    # People (issue 11): a plan manager gives roles in their own area only; whoever else
    # can see the area gets 403, everyone else 404. A POST of an empty form is the page
    # with its errors (200).
    ("people_home", lambda plan: [], "GET", [302, 403, 403, 403, 403, 403, 302, 200, 403, 302]),
    *[
        (name, args, method, STOCKTON_PEOPLE)
        for name, args, method in [
            ("people", lambda plan: [plan.inspection.area_id], "GET"),
            ("people_invite", lambda plan: [plan.inspection.area_id], "GET"),
            ("people_invite", lambda plan: [plan.inspection.area_id], "POST"),
            ("people_change_role", lambda plan: stockton_membership(plan), "GET"),
            ("people_change_role", lambda plan: stockton_membership(plan), "POST"),
            ("people_remove_role", lambda plan: stockton_membership(plan), "GET"),
        ]
    ],
    (
        "people_remove_role",
        lambda plan: stockton_membership(plan),
        "POST",
        [302, 403, 403, 404, 403, 404, 302, 302, 404, 404],
    ),
    (
        "people_withdraw_invitation",
        lambda plan: invitation_of(plan.inspection.area),
        "POST",
        [302, 403, 403, 404, 403, 404, 302, 302, 404, 404],
    ),
    (
        "people_withdraw_invitation",
        lambda plan: invitation_of(plan.inspection.area),
        "GET",
        [302, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    ),
    *[
        (name, args, method, HARTLEPOOL_PEOPLE)
        for name, args, method in [
            ("people", lambda plan: [hartlepool().inspection.area_id], "GET"),
            ("people_invite", lambda plan: [hartlepool().inspection.area_id], "GET"),
            ("people_invite", lambda plan: [hartlepool().inspection.area_id], "POST"),
            ("people_change_role", lambda plan: hartlepool_membership(), "GET"),
            ("people_change_role", lambda plan: hartlepool_membership(), "POST"),
            ("people_remove_role", lambda plan: hartlepool_membership(), "GET"),
        ]
    ],
    (
        "people_remove_role",
        lambda plan: hartlepool_membership(),
        "POST",
        [302, 404, 404, 404, 404, 404, 404, 302, 403, 302],
    ),
    (
        "people_withdraw_invitation",
        lambda plan: invitation_of(hartlepool().inspection.area),
        "POST",
        [302, 404, 404, 404, 404, 404, 404, 302, 403, 302],
    ),
    # The invitation link needs no login: a live one opens for anyone, any other is 404.
    ("accept_invitation", lambda plan: ["not-a-token"], "GET", [404] * 10),
    ("accept_invitation", lambda plan: ["not-a-token"], "POST", [404] * 10),
    ("accept_invitation", lambda plan: [live_token(plan)], "GET", [200] * 10),
    # Accounts: changing a password needs a login; resetting one does not.
    ("password_change", lambda plan: [], "GET", [302] + [200] * 9),
    ("password_change", lambda plan: [], "POST", [302] + [200] * 9),
    ("password_change_done", lambda plan: [], "GET", [302] + [200] * 9),
    ("password_reset", lambda plan: [], "GET", [200] * 10),
    ("password_reset", lambda plan: [], "POST", [200] * 10),
    ("password_reset_done", lambda plan: [], "GET", [200] * 10),
    ("password_reset_confirm", lambda plan: ["MQ", "not-a-token"], "GET", [200] * 10),
    ("password_reset_complete", lambda plan: [], "GET", [200] * 10),
    # The plan's life (issue 10): plan managers of the area only; an empty POST re-shows
    # the form with its errors (200); a move from an old page is refused with a redirect.
    ("plan_start", lambda plan: [plan.inspection_id], "GET", MANAGERS_ONLY),
    ("plan_start", lambda plan: [plan.inspection_id], "POST", MANAGERS_ONLY),
    ("plan_edit", lambda plan: [plan.pk], "GET", MANAGERS_ONLY),
    ("plan_details", lambda plan: [plan.pk], "GET", MANAGERS_ONLY),
    ("plan_details", lambda plan: [plan.pk], "POST", MANAGERS_ONLY),
    ("section_add", lambda plan: [plan.pk], "GET", MANAGERS_ONLY),
    ("section_add", lambda plan: [plan.pk], "POST", MANAGERS_ONLY),
    ("section_edit", lambda plan: [plan.pk, section(plan).pk], "GET", MANAGERS_ONLY),
    ("section_edit", lambda plan: [plan.pk, section(plan).pk], "POST", MANAGERS_ONLY),
    ("section_move", lambda plan: [plan.pk, section(plan).pk], "POST", MANAGERS_REDIRECTED),
    ("section_remove", lambda plan: [plan.pk, section(plan).pk], "GET", MANAGERS_ONLY),
    ("section_remove", lambda plan: [plan.pk, section(plan).pk], "POST", MANAGERS_ONLY),
    ("task_add", lambda plan: [plan.pk, section(plan).pk], "GET", MANAGERS_ONLY),
    ("task_add", lambda plan: [plan.pk, section(plan).pk], "POST", MANAGERS_ONLY),
    ("task_edit", lambda plan: [plan.pk, police_task(plan).pk], "GET", MANAGERS_ONLY),
    ("task_edit", lambda plan: [plan.pk, police_task(plan).pk], "POST", MANAGERS_ONLY),
    ("task_move", lambda plan: [plan.pk, police_task(plan).pk], "POST", MANAGERS_REDIRECTED),
    ("task_remove", lambda plan: [plan.pk, police_task(plan).pk], "GET", MANAGERS_ONLY),
    ("task_remove", lambda plan: [plan.pk, police_task(plan).pk], "POST", MANAGERS_ONLY),
    ("plan_agree", lambda plan: [plan.pk], "GET", MANAGERS_ONLY),
    ("plan_agree", lambda plan: [plan.pk], "POST", MANAGERS_ONLY),
    ("plan_submit", lambda plan: [plan.pk], "GET", MANAGERS_ONLY),
    ("plan_submit", lambda plan: [plan.pk], "POST", MANAGERS_ONLY),
    ("plan_close", lambda plan: [plan.pk], "GET", MANAGERS_ONLY),
    ("plan_close", lambda plan: [plan.pk], "POST", MANAGERS_ONLY),
    ("agency_aliases", lambda plan: [plan.pk], "GET", MANAGERS_ONLY),
    ("agency_aliases", lambda plan: [plan.pk], "POST", MANAGERS_ONLY),
    # The plan's history and the PDF as submitted: whoever may read the plan.
    ("plan_history", lambda plan: [plan.pk], "GET", READERS),
    ("plan_submitted_pdf", submitted, "GET", READERS),
    (
        "plan_submitted_pdf",
        submitted,
        "POST",
        [302, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    ),
    # The Hartlepool plan: its own manager edits it; Stockton's manager cannot see it.
    ("plan_edit", lambda plan: [hartlepool().pk], "GET", HARTLEPOOL_MANAGERS_ONLY),
    ("plan_details", lambda plan: [hartlepool().pk], "POST", HARTLEPOOL_MANAGERS_ONLY),
    (
        "task_edit",
        lambda plan: [hartlepool().pk, hartlepool_task().pk],
        "GET",
        HARTLEPOOL_MANAGERS_ONLY,
    ),
    ("plan_agree", lambda plan: [hartlepool().pk], "POST", HARTLEPOOL_MANAGERS_ONLY),
    ("agency_aliases", lambda plan: [hartlepool().pk], "POST", HARTLEPOOL_MANAGERS_ONLY),
    (
        "plan_start",
        lambda plan: [hartlepool().inspection_id],
        "GET",
        HARTLEPOOL_MANAGERS_ONLY,
    ),
    # The page a reader waits on while the PDF is rendered, and the status its script reads.
    (
        "plan_export_pdf_progress",
        lambda plan: [plan.pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "plan_export_pdf_status",
        lambda plan: [plan.pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    # The board cycle (issue 12). Evidence: the task's leads and plan managers attach
    # (an empty form is shown again with its errors); whoever may read the task reads it.
    (
        "evidence_add",
        lambda plan: [police_task(plan).pk],
        "GET",
        [302, 200, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    (
        "evidence_add",
        lambda plan: [police_task(plan).pk],
        "POST",
        [302, 200, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    (
        "evidence_download",
        lambda plan: [police_evidence(plan).pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "evidence_download",
        lambda plan: [police_evidence(plan).pk],
        "POST",
        [302, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    ),
    # Confirmed completion: only the area's plan managers decide.
    (
        "task_completion",
        lambda plan: [awaiting_task(plan).pk],
        "GET",
        [302, 403, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    (
        "task_completion",
        lambda plan: [awaiting_task(plan).pk],
        "POST",
        [302, 403, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    # Board packs: everyone who may read the plan sees them; plan managers make them.
    (
        "board_packs",
        lambda plan: [plan.pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "board_packs",
        lambda plan: [plan.pk],
        "POST",
        [302, 403, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    (
        "board_pack",
        lambda plan: [plan.pk, ready_pack(plan).pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    (
        "board_pack",
        lambda plan: [plan.pk, ready_pack(plan).pk],
        "POST",
        [302, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    ),
    (
        "board_pack_download",
        lambda plan: [plan.pk, ready_pack(plan).pk],
        "GET",
        [302, 200, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    # Everyone's own email choices (no id in the URL: nobody else's can be reached).
    (
        "email_preferences",
        lambda plan: [],
        "GET",
        [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "email_preferences",
        lambda plan: [],
        "POST",
        [302, 302, 302, 302, 302, 302, 302, 302, 302, 302],
    ),
    # Evidence of a Hartlepool task: its own police lead attaches and reads it; the
    # Stockton police lead (same agency, another area) does not see it.
    (
        "evidence_add",
        lambda plan: [hartlepool_task().pk],
        "GET",
        [302, 404, 404, 404, 404, 404, 404, 200, 200, 200],
    ),
    (
        "evidence_download",
        lambda plan: [police_evidence(plan, hartlepool_task()).pk],
        "GET",
        [302, 404, 404, 404, 404, 404, 404, 200, 200, 200],
    ),
]


def _our_url_names(patterns=None, prefix=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "app_name", None) == "admin":
                continue
            names |= _our_url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names - NOT_OURS


def test_every_view_is_in_the_table():
    assert _our_url_names() <= {name for name, *_ in TABLE}


CASES = [
    pytest.param(name, args, method, role, status, id=f"{method}-{name}-{role}")
    for name, args, method, statuses in TABLE
    for role, status in zip(ROLES, statuses, strict=True)
]


@pytest.fixture(scope="module")
def everyone(django_db_setup, django_db_blocker, stockton_rows):
    """The Stockton and Hartlepool plans and everyone of ROLES, written once for the
    module's 1,000-odd tests (on each worker that runs them): the tests run inside this
    transaction, each in a savepoint rolled back after it, as with Django's
    `TestCase.setUpTestData`. By role, the person's id."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        stockton_rows.write()
        create_hartlepool_plan()
        create_other_area()
        people = {role: create_named_person(role).pk for role in NAMED_PEOPLE}
        people["superuser"] = create_superuser().pk
    assert set(people) == set(ROLES[1:])
    yield people
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.mark.parametrize(("name", "args", "method", "role", "expected"), CASES)
def test_permission_table(client, db, everyone, name, args, method, role, expected):
    # Everyone exists (the module's fixture): only the login differs between rows.
    stockton = ActionPlan.objects.select_related("inspection__area").get(
        inspection__area__name="Stockton-on-Tees"
    )
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(pk=everyone[role]))
    url = reverse(name, args=args(stockton))
    response = client.get(url) if method == "GET" else client.post(url, {})
    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
