"""The People pages: a plan manager gives people roles in their area; an invited
person takes up their role. Thin views: the access door loads the area, the services
in `inspections.people.services` make every change."""

from smtplib import SMTPException

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..access import get_area_for_people, managed_area_ids
from ..models import Area, Membership
from . import services
from .forms import InvitationForm, NewAccountForm, RoleForm, role_value
from .models import Invitation, MembershipChange

HISTORY_SHOWN = 100


def people_home(request):
    """Where the "People" link goes: the one area the user manages, or a choice."""
    if request.user.is_superuser:
        areas = Area.objects.all()
    else:
        areas = Area.objects.filter(pk__in=managed_area_ids(request.user))
    areas = list(areas)
    if not areas:
        raise PermissionDenied("Only plan managers give people roles.")
    if len(areas) == 1:
        return redirect("people", area_id=areas[0].pk)
    return render(request, "inspections/people/areas.html", {"areas": areas})


def people(request, area_id):
    area = get_area_for_people(request.user, area_id)
    role_order = Case(
        When(role=Membership.Role.MANAGER, then=Value(0)),
        When(role=Membership.Role.BOARD, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    memberships = (
        Membership.objects.filter(area=area)
        .select_related("user", "agency")
        .order_by(role_order, "agency__name", "user__first_name", "user__last_name", "pk")
    )
    invitations = Invitation.objects.pending().filter(area=area).select_related("agency", "area")
    history = MembershipChange.objects.filter(area=area)[:HISTORY_SHOWN]
    return render(
        request,
        "inspections/people/people.html",
        {
            "area": area,
            "memberships": memberships,
            "invitations": invitations,
            "history": history,
            "history_shown": HISTORY_SHOWN,
        },
    )


def invite(request, area_id):
    area = get_area_for_people(request.user, area_id)
    form = InvitationForm(_posted(request), area=area)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invite(
                area=area,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                agency=data["agency"],
                by=request.user,
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        except (SMTPException, OSError):
            form.add_error(
                None,
                "The invitation email could not be sent, so nobody was invited. "
                "Try again later, or tell the site's operators.",
            )
        else:
            messages.success(request, f"Invitation sent to {data['email']}.")
            return redirect("people", area_id=area.pk)
    return render(request, "inspections/people/invite.html", {"area": area, "form": form})


def _membership(area, membership_id):
    return get_object_or_404(
        Membership.objects.select_related("user", "agency", "area"), pk=membership_id, area=area
    )


def change_role(request, area_id, membership_id):
    area = get_area_for_people(request.user, area_id)
    membership = _membership(area, membership_id)
    initial = {"role": role_value(membership.role, membership.agency_id)}
    form = RoleForm(_posted(request), area=area, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_role(
                membership_id=membership.pk,
                area=area,
                role=form.cleaned_data["role"],
                agency=form.cleaned_data["agency"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{_name(membership.user)}'s role has been changed.")
            return redirect("people", area_id=area.pk)
    return render(
        request,
        "inspections/people/change_role.html",
        {"area": area, "membership": membership, "form": form},
    )


def remove_role(request, area_id, membership_id):
    area = get_area_for_people(request.user, area_id)
    membership = _membership(area, membership_id)
    error = None
    if request.method == "POST":
        try:
            services.remove_role(membership_id=membership.pk, area=area, by=request.user)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(
                request, f"{_name(membership.user)} is no longer {membership.describe()}."
            )
            return redirect("people", area_id=area.pk)
    return render(
        request,
        "inspections/people/remove_role.html",
        {"area": area, "membership": membership, "error": error},
    )


@require_POST
def withdraw_invitation(request, area_id, invitation_id):
    area = get_area_for_people(request.user, area_id)
    invitation = get_object_or_404(Invitation, pk=invitation_id, area=area)
    services.withdraw_invitation(invitation_id=invitation.pk, area=area, by=request.user)
    messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    return redirect("people", area_id=area.pk)


@login_not_required
def accept_invitation(request, token):
    """The link in the invitation email: a new person chooses their name and password;
    someone with an account already accepts the role for it. Not found once used,
    withdrawn or expired."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "inspections/people/invitation_unusable.html", status=404)
    account = services.account_for_email(invitation.email)
    form = None if account else NewAccountForm(invitation, _posted(request))
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.accept_invitation(
                invitation_id=invitation.pk,
                password=form.cleaned_data["new_password1"] if form else None,
                first_name=form.cleaned_data["first_name"] if form else "",
                last_name=form.cleaned_data["last_name"] if form else "",
            )
        except services.InvitationUnusable:
            return render(request, "inspections/people/invitation_unusable.html", status=404)
        messages.success(
            request,
            f"You are now {invitation.describe()}. "
            + (
                "Sign in to start."
                if form is None
                else f"Sign in with your email address, {user.get_username()}, and your new password."
            ),
        )
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("home")
        return redirect(f"{reverse('login')}")
    return render(
        request,
        "inspections/people/accept.html",
        {"invitation": invitation, "account": account, "form": form},
    )


def _name(user):
    return user.get_full_name() or user.get_username()


def _posted(request):
    """The POST data to bind a form to, even an empty POST (a form sent blank)."""
    return request.POST if request.method == "POST" else None
