"""The one writer of roles from the app: invite, accept, change, remove, withdraw.

Each runs in one transaction with the history row that records it (`MembershipChange`),
so a role never changes without a record of who changed it, when and how. A change is
effective at once: access is read from the memberships on every request.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import Agency, Area, Membership, describe_role
from .models import (
    INVITATION_VALID_FOR,
    Invitation,
    MembershipChange,
    display_name,
    hash_token,
)


class InvitationUnusable(Exception):
    """The link was used already, withdrawn, or has expired."""


def _check_role(area: Area, role: str, agency: Agency | None):
    if role not in Membership.Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if role == Membership.Role.LEAD:
        if agency is None or not area.agencies.filter(pk=agency.pk).exists():
            raise ValidationError(f"Choose one of the partner agencies of {area}.")
    elif agency is not None:
        raise ValidationError("Only agency leads lead for an agency.")


def _role_filter(role, agency):
    return Q(role=role, agency=agency) if role == Membership.Role.LEAD else Q(role=role)


def _record(area, *, by, person, person_name, action, before="", after=""):
    return MembershipChange.objects.create(
        area=area,
        actor=by,
        actor_name=display_name(by),
        person=person,
        person_name=person_name,
        action=action,
        role_before=before,
        role_after=after,
    )


def account_for_email(email: str):
    """The person who already has an account under this email address, if anyone."""
    User = get_user_model()
    return (
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )


def invite(
    *,
    area: Area,
    email: str,
    role: str,
    agency: Agency | None = None,
    first_name: str = "",
    last_name: str = "",
    by,
    site_url: str,
) -> Invitation:
    """Invite someone to a role in the area and email them a link to take it up.

    `site_url` is the site's address as the person will reach it (https://host/). The
    email is sent inside the transaction: if it cannot be sent, nobody is invited.
    """
    _check_role(area, role, agency)
    email = email.strip()
    existing = account_for_email(email)
    if (
        existing
        and Membership.objects.filter(_role_filter(role, agency), user=existing, area=area).exists()
    ):
        raise ValidationError(
            f"{display_name(existing)} is already {describe_role(role, agency, area)}."
        )
    token = Invitation.new_token()
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            area=area,
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=role,
            agency=agency,
            token_hash=hash_token(token),
            invited_by=by,
            created_at=now,
            expires_at=now + INVITATION_VALID_FOR,
        )
        _record(
            area,
            by=by,
            person=existing,
            person_name=invitation.full_name or email,
            action=MembershipChange.Action.INVITED,
            after=invitation.describe(),
        )
        link = site_url.rstrip("/") + reverse("accept_invitation", args=[token])
        context = {
            "invitation": invitation,
            "link": link,
            "has_account": existing is not None,
            "inviter": display_name(by),
            "days": INVITATION_VALID_FOR.days,
        }
        send_mail(
            subject=render_to_string("inspections/people/invitation_subject.txt", context).strip(),
            message=render_to_string("inspections/people/invitation_email.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The pending invitation a link's secret opens, or None."""
    return (
        Invitation.objects.pending()
        .select_related("area", "agency", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def accept_invitation(
    *, invitation_id: int, password: str | None = None, first_name="", last_name=""
):
    """Give the invited role to the account with the invitation's email address,
    creating it with `password` if there is none. Returns the user. The invitation
    can be used once."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("area", "agency")
            .get(pk=invitation_id)
        )
        if not invitation.is_pending():
            raise InvitationUnusable(invitation)
        user = account_for_email(invitation.email)
        if user is None:
            if not password:
                raise ValueError("A new account needs a password.")
            user = get_user_model().objects.create_user(
                username=invitation.email.lower(),
                email=invitation.email,
                password=password,
                first_name=first_name or invitation.first_name,
                last_name=last_name or invitation.last_name,
            )
        Membership.objects.get_or_create(
            user=user, role=invitation.role, agency=invitation.agency, area=invitation.area
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _record(
            invitation.area,
            by=user,
            person=user,
            person_name=display_name(user),
            action=MembershipChange.Action.JOINED,
            after=invitation.describe(),
        )
    return user


def _locked_membership(membership_id: int, area: Area) -> Membership:
    """The membership, locked until the transaction ends (only its own row)."""
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "agency", "area")
        .get(pk=membership_id, area=area)
    )


def _guard_last_manager(membership: Membership):
    if membership.role != Membership.Role.MANAGER:
        return
    others = Membership.objects.filter(area_id=membership.area_id, role=Membership.Role.MANAGER)
    if not others.exclude(pk=membership.pk).exists():
        raise ValidationError(
            f"{membership.area} needs a plan manager: give the role to someone else first."
        )


def change_role(*, membership_id: int, area: Area, role: str, agency: Agency | None = None, by):
    """Change one role of a person in the area (e.g. board member -> plan manager)."""
    _check_role(area, role, agency)
    with transaction.atomic():
        membership = _locked_membership(membership_id, area)
        before = membership.describe()
        if (membership.role, membership.agency_id) == (role, agency.pk if agency else None):
            return membership
        _guard_last_manager(membership)
        clash = Membership.objects.filter(
            _role_filter(role, agency), user=membership.user, area=area
        )
        if clash.exclude(pk=membership.pk).exists():
            raise ValidationError(
                f"{display_name(membership.user)} is already {describe_role(role, agency, area)}."
            )
        membership.role, membership.agency = role, agency
        try:
            with transaction.atomic():
                membership.save(update_fields=["role", "agency"])
        except IntegrityError:  # the same change made at the same moment by someone else
            raise ValidationError("This person's roles changed meanwhile: try again.") from None
        _record(
            area,
            by=by,
            person=membership.user,
            person_name=display_name(membership.user),
            action=MembershipChange.Action.CHANGED,
            before=before,
            after=membership.describe(),
        )
    return membership


def remove_role(*, membership_id: int, area: Area, by):
    """Take one role in the area away from a person, at once."""
    with transaction.atomic():
        membership = _locked_membership(membership_id, area)
        _guard_last_manager(membership)
        before = membership.describe()
        membership.delete()
        _record(
            area,
            by=by,
            person=membership.user,
            person_name=display_name(membership.user),
            action=MembershipChange.Action.REMOVED,
            before=before,
        )


def record_admin_edit(membership: Membership, *, by, before: str = "", removed: bool = False):
    """The history row of a role given, changed or removed by a site operator in the
    admin, written in the admin's own transaction (`inspections.admin.MembershipAdmin`)."""
    if removed:
        action, after = MembershipChange.Action.REMOVED, ""
    elif before:
        action, after = MembershipChange.Action.CHANGED, membership.describe()
    else:
        action, after = MembershipChange.Action.GRANTED, membership.describe()
    if before == after:
        return None
    return _record(
        membership.area,
        by=by,
        person=membership.user,
        person_name=display_name(membership.user),
        action=action,
        before=before,
        after=after,
    )


def withdraw_invitation(*, invitation_id: int, area: Area, by):
    """Stop a pending invitation's link from working."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=invitation_id, area=area)
        )
        if not invitation.is_pending():
            return invitation
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        _record(
            area,
            by=by,
            person=None,
            person_name=invitation.full_name or invitation.email,
            action=MembershipChange.Action.WITHDRAWN,
            before=invitation.describe(),
        )
    return invitation
