"""A plan manager's People page: invitations, roles changed and removed, the history.

Roles are given in the manager's own area only (the permission table covers who may
open which page); these tests cover what the pages do.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actionplans.models import KeyTask
from inspections.models import Agency, Invitation, Membership, MembershipChange
from inspections.people.models import hash_token

from .conftest import PASSWORD

NEW_PASSWORD = "plum-orchard-lantern-42"
LINK = re.compile(r"https?://[^/\s]+(/invitations/[^/\s]+/)")


@pytest.fixture
def manager_client(client, plan_manager):
    client.force_login(plan_manager)
    return client


@pytest.fixture
def police(stockton):
    return Agency.objects.get(name="Cleveland Police")


@pytest.fixture
def police_task(stockton):
    return KeyTask.objects.get(description__startswith="Review capacity in the PVP")


def people_url(area, name="people", *args):
    return reverse(name, args=[area.pk, *args])


def invite(client, area, *, email="sam.sergeant@cleveland.police.uk", role, **extra):
    data = {"first_name": "Sam", "last_name": "Sergeant", "email": email, "role": role, **extra}
    return client.post(people_url(area, "people_invite"), data)


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def test_plan_manager_invites_a_lead_who_sets_a_password_and_leads_in_that_area_only(
    manager_client, stockton, police, plan_manager, hartlepool_plan, police_task
):
    area = stockton.inspection.area
    response = invite(manager_client, area, role=f"lead:{police.pk}")
    assert response.status_code == 302
    assert response["Location"] == people_url(area)

    [email] = mail.outbox
    assert email.to == ["sam.sergeant@cleveland.police.uk"]
    assert "Agency lead for Cleveland Police in Stockton-on-Tees" in email.subject
    assert "7 days" in email.body
    link = link_in(email)
    invitation = Invitation.objects.get()
    # Only a hash of the link's secret is kept.
    assert link.split("/")[2] not in invitation.token_hash
    assert invitation.token_hash == hash_token(link.split("/")[2])

    anonymous = manager_client.__class__()
    page = anonymous.get(link)
    assert page.status_code == 200
    assert "Agency lead for Cleveland Police in Stockton-on-Tees" in page.content.decode()
    response = anonymous.post(
        link,
        {
            "first_name": "Sam",
            "last_name": "Sergeant",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("login")

    user = get_user_model().objects.get(email="sam.sergeant@cleveland.police.uk")
    assert user.username == "sam.sergeant@cleveland.police.uk"
    assert user.check_password(NEW_PASSWORD)
    [membership] = user.memberships.all()
    assert (membership.role, membership.agency, membership.area) == ("lead", police, area)
    # The link works once.
    assert anonymous.get(link).status_code == 404

    # Signed in, the new lead updates the police's Stockton task, not Hartlepool's.
    signed_in = anonymous.post(
        reverse("login"), {"username": user.username, "password": NEW_PASSWORD}
    )
    assert signed_in["Location"] == reverse("your_tasks")
    assert anonymous.get(reverse("task_update", args=[police_task.pk])).status_code == 200
    hartlepool_task = KeyTask.objects.get(section__plan=hartlepool_plan)
    assert anonymous.get(reverse("task_update", args=[hartlepool_task.pk])).status_code == 404

    history = list(MembershipChange.objects.filter(area=area).order_by("pk"))
    assert [change.action for change in history] == ["invited", "joined"]
    assert history[0].actor == plan_manager and history[0].person_name == "Sam Sergeant"
    assert history[1].actor == user
    assert history[1].role_after == "Agency lead for Cleveland Police in Stockton-on-Tees"


def test_someone_with_an_account_gets_the_role_on_it_without_a_second_login(
    manager_client, stockton, hartlepool_police_lead, police
):
    """A Hartlepool police lead invited by Stockton: one login, a role in each area."""
    hartlepool_police_lead.email = "pat@cleveland.police.uk"
    hartlepool_police_lead.save()
    invite(
        manager_client,
        stockton.inspection.area,
        email="PAT@cleveland.police.uk",
        role=f"lead:{police.pk}",
    )
    link = link_in(mail.outbox[0])
    assert "already have an account" in mail.outbox[0].body

    anonymous = manager_client.__class__()
    page = anonymous.get(link).content.decode()
    assert "hartlepool.police" in page and "new_password1" not in page
    response = anonymous.post(link)
    assert response.status_code == 302
    assert get_user_model().objects.filter(email__iexact="pat@cleveland.police.uk").count() == 1
    areas = set(hartlepool_police_lead.memberships.values_list("area__name", flat=True))
    assert areas == {"Hartlepool", "Stockton-on-Tees"}
    assert hartlepool_police_lead.check_password(PASSWORD)  # unchanged


def test_the_new_password_must_meet_the_policy(manager_client, stockton):
    invite(manager_client, stockton.inspection.area, role="board")
    link = link_in(mail.outbox[0])
    anonymous = manager_client.__class__()
    for password, message in [
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("sam.sergeant.police", "too similar"),
    ]:
        response = anonymous.post(
            link,
            {
                "first_name": "Sam",
                "last_name": "Sergeant",
                "new_password1": password,
                "new_password2": password,
            },
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not get_user_model().objects.filter(email__icontains="sam").exists()
    assert Invitation.objects.pending().count() == 1


def test_an_expired_or_withdrawn_link_does_not_work(manager_client, stockton, plan_manager):
    area = stockton.inspection.area
    invite(manager_client, area, role="board")
    invite(manager_client, area, email="other@example.org", role="board")
    expired_link, withdrawn_link = (link_in(message) for message in mail.outbox)
    expired, withdrawn = Invitation.objects.order_by("pk")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = manager_client.post(people_url(area, "people_withdraw_invitation", withdrawn.pk))
    assert response.status_code == 302

    anonymous = manager_client.__class__()
    for link in (expired_link, withdrawn_link):
        response = anonymous.get(link)
        assert response.status_code == 404
        assert "cannot be used" in response.content.decode()
        assert anonymous.post(link, {}).status_code == 404
    assert get_user_model().objects.count() == 1  # the plan manager only
    assert MembershipChange.objects.filter(action="withdrawn").get().actor == plan_manager


def test_a_lead_role_is_only_for_a_partner_agency_of_the_area(manager_client, stockton, other_area):
    durham_police = other_area.agencies.get()
    response = invite(manager_client, stockton.inspection.area, role=f"lead:{durham_police.pk}")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not mail.outbox and not Invitation.objects.exists()
    assert not MembershipChange.objects.exists()


def test_bad_input_gets_clear_messages_and_changes_nothing(manager_client, stockton):
    response = manager_client.post(people_url(stockton.inspection.area, "people_invite"), {})
    html = response.content.decode()
    for message in [
        "Enter the person&#x27;s first name",
        "Enter the person&#x27;s email address",
        "Choose the role this person will have",
    ]:
        assert message in html
    assert "There is a problem" in html
    response = invite(manager_client, stockton.inspection.area, email="not-an-email", role="board")
    assert "Enter an email address in the correct format" in response.content.decode()
    assert not mail.outbox and not Invitation.objects.exists()


def test_inviting_someone_to_a_role_they_hold_is_refused(manager_client, stockton, board_member):
    board_member.email = "bob@example.org"
    board_member.save()
    response = invite(
        manager_client, stockton.inspection.area, email="bob@example.org", role="board"
    )
    assert response.status_code == 200
    assert "is already Board member in Stockton-on-Tees" in response.content.decode()
    assert not mail.outbox


def test_when_the_email_cannot_be_sent_nobody_is_invited(manager_client, stockton, settings):
    # A real SMTP backend pointed at a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 1, False
    response = invite(manager_client, stockton.inspection.area, role="board")
    assert response.status_code == 200
    assert "could not be sent, so nobody was invited" in response.content.decode()
    assert not Invitation.objects.exists() and not MembershipChange.objects.exists()


def test_changing_a_role_is_effective_at_once_and_recorded(
    manager_client, client, stockton, police_lead, police_task, plan_manager
):
    area = stockton.inspection.area
    membership = police_lead.memberships.get()
    lead_client = client.__class__()
    lead_client.force_login(police_lead)
    update = reverse("task_update", args=[police_task.pk])
    assert lead_client.get(update).status_code == 200

    page = manager_client.get(people_url(area, "people_change_role", membership.pk))
    assert f'value="lead:{membership.agency_id}" checked' in page.content.decode()
    response = manager_client.post(
        people_url(area, "people_change_role", membership.pk), {"role": "board"}
    )
    assert response.status_code == 302
    assert lead_client.get(update).status_code == 403  # a board member reads only

    change = MembershipChange.objects.get()
    assert (change.action, change.actor, change.person) == ("changed", plan_manager, police_lead)
    assert change.role_before == "Agency lead for Cleveland Police in Stockton-on-Tees"
    assert change.role_after == "Board member in Stockton-on-Tees"


def test_removing_a_role_is_effective_at_once_and_recorded(
    manager_client, client, stockton, police_lead, police_task
):
    area = stockton.inspection.area
    membership = police_lead.memberships.get()
    lead_client = client.__class__()
    lead_client.force_login(police_lead)
    confirm = manager_client.get(people_url(area, "people_remove_role", membership.pk))
    assert "Remove Police's role?" in confirm.content.decode()
    response = manager_client.post(people_url(area, "people_remove_role", membership.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert lead_client.get(reverse("task_detail", args=[police_task.pk])).status_code == 404
    change = MembershipChange.objects.get()
    assert change.action == "removed" and change.person_name == "Police"

    html = manager_client.get(people_url(area)).content.decode()
    assert "Role removed: Police, was Agency lead for Cleveland Police" in html


def test_the_last_plan_manager_cannot_be_removed_or_changed(manager_client, stockton, plan_manager):
    area = stockton.inspection.area
    membership = plan_manager.memberships.get()
    response = manager_client.post(people_url(area, "people_remove_role", membership.pk))
    assert response.status_code == 200
    assert "needs a plan manager" in response.content.decode()
    response = manager_client.post(
        people_url(area, "people_change_role", membership.pk), {"role": "board"}
    )
    assert "needs a plan manager" in response.content.decode()
    assert plan_manager.memberships.get().role == "manager"
    assert not MembershipChange.objects.exists()


def test_a_person_cannot_be_given_a_role_twice(manager_client, stockton, make_user, police):
    area = stockton.inspection.area
    user = make_user("two.roles", "board", area=area)
    Membership.objects.create(user=user, role="lead", agency=police, area=area)
    board = user.memberships.get(role="board")
    response = manager_client.post(
        people_url(area, "people_change_role", board.pk), {"role": f"lead:{police.pk}"}
    )
    assert "is already Agency lead for Cleveland Police" in response.content.decode()
    assert user.memberships.count() == 2


def test_a_plan_manager_cannot_touch_a_role_in_another_area_through_their_own(
    manager_client, stockton, hartlepool_police_lead
):
    """The membership id of another area under the manager's own area: not found."""
    area = stockton.inspection.area
    other = hartlepool_police_lead.memberships.get()
    for name in ("people_change_role", "people_remove_role"):
        assert (
            manager_client.post(people_url(area, name, other.pk), {"role": "board"}).status_code
            == 404
        )
    assert hartlepool_police_lead.memberships.get().role == "lead"


def test_the_history_is_append_only(manager_client, stockton):
    invite(manager_client, stockton.inspection.area, role="board")
    change = MembershipChange.objects.get()
    change.role_after = "Plan manager"
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        change.delete()
    with pytest.raises(TypeError):
        MembershipChange.objects.update(role_after="x")
    with pytest.raises(TypeError):
        MembershipChange.objects.all().delete()


def test_a_lead_membership_must_name_a_partner_agency(stockton, other_area, police_lead):
    from django.core.exceptions import ValidationError

    membership = police_lead.memberships.get()
    membership.agency = other_area.agencies.get()
    with pytest.raises(ValidationError, match="not a partner agency"):
        membership.full_clean()


def test_people_page_lists_roles_invitations_and_history(
    manager_client, stockton, police_lead, board_member, police
):
    area = stockton.inspection.area
    invite(manager_client, area, role="board", email="new.board@example.org")
    html = manager_client.get(people_url(area)).content.decode()
    assert "Agency lead for Cleveland Police" in html
    assert "Board member" in html and "Plan manager" in html
    assert "new.board@example.org" in html
    assert "Invited: Sam Sergeant, Board member in Stockton-on-Tees" in html
    assert f'href="{people_url(area, "people_invite")}"' in html


def test_people_link_is_in_the_navigation_for_plan_managers_only(
    client, plan_manager, board_member
):
    client.force_login(plan_manager)
    assert f'href="{reverse("people_home")}"' in client.get(reverse("home")).content.decode()
    assert client.get(reverse("people_home"))["Location"] == people_url(
        plan_manager.memberships.get().area
    )
    client.force_login(board_member)
    assert f'href="{reverse("people_home")}"' not in client.get(reverse("home")).content.decode()


def test_people_page_query_count_does_not_grow_with_people(
    manager_client, stockton, make_user, police, django_assert_num_queries
):
    area = stockton.inspection.area
    url = people_url(area)

    def add_people(start, count):
        for number in range(start, start + count):
            make_user(f"lead.{number}", "lead", agency=police, area=area, email=f"l{number}@x.org")
            invite(manager_client, area, role="board", email=f"b{number}@example.org")

    add_people(0, 2)
    manager_client.get(url)
    with django_assert_num_queries(PEOPLE_PAGE_QUERIES):
        assert manager_client.get(url).status_code == 200
    add_people(2, 30)
    with django_assert_num_queries(PEOPLE_PAGE_QUERIES):
        response = manager_client.get(url)
    assert response.content.decode().count("Change role<") == 33


# session, user, memberships (the door), area, the area's memberships (with people and
# agencies), pending invitations, history
PEOPLE_PAGE_QUERIES = 7


def test_roles_given_changed_and_removed_in_the_admin_are_recorded(
    client, superuser, stockton, make_user
):
    """Operators give an area its first plan manager in the admin; that is history too."""
    area = stockton.inspection.area
    person = make_user("first.manager")
    client.force_login(superuser)
    add = reverse("admin:inspections_membership_add")
    response = client.post(add, {"user": person.pk, "role": "manager", "area": area.pk})
    assert response.status_code == 302
    membership = person.memberships.get()
    change = reverse("admin:inspections_membership_change", args=[membership.pk])
    client.post(change, {"user": person.pk, "role": "board", "area": area.pk})
    delete = reverse("admin:inspections_membership_delete", args=[membership.pk])
    client.post(delete, {"post": "yes"})
    assert not person.memberships.exists()

    history = MembershipChange.objects.filter(area=area).order_by("pk")
    assert [(c.action, c.actor, c.person) for c in history] == [
        ("granted", superuser, person),
        ("changed", superuser, person),
        ("removed", superuser, person),
    ]
    assert history[1].role_before == "Plan manager in Stockton-on-Tees"
    assert history[1].role_after == "Board member in Stockton-on-Tees"

    # The history itself is read-only in the admin.
    entry = history[0]
    url = reverse("admin:inspections_membershipchange_change", args=[entry.pk])
    client.post(url, {"actor_name": "someone else", "action": "removed"})
    entry.refresh_from_db()
    assert entry.actor_name == superuser.get_username() and entry.action == "granted"
    delete_entry = reverse("admin:inspections_membershipchange_delete", args=[entry.pk])
    assert client.post(delete_entry, {"post": "yes"}).status_code == 403
    assert MembershipChange.objects.count() == 3
