"""Forms of the People pages: a role in an area, an invitation, setting a password."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from ..models import Membership


def role_choices(agencies):
    """One radio per role a person can hold in an area: a lead for each of its partner
    agencies, then board member and plan manager (values as `role_value` makes them)."""
    leads = [
        (role_value("lead", agency.pk), f"Agency lead for {agency.name}") for agency in agencies
    ]
    return [
        *leads,
        (Membership.Role.BOARD.value, "Board member (reads everything, changes nothing)"),
        (Membership.Role.MANAGER.value, "Plan manager (edits plans, exports, gives roles)"),
    ]


def role_value(role, agency_id=None) -> str:
    """A role as one form value: "lead:<agency id>", "board" or "manager"."""
    return f"lead:{agency_id}" if role == Membership.Role.LEAD else role


class RoleForm(forms.Form):
    """The role a person is to hold in the area. `cleaned_data` gives role and agency."""

    role = forms.ChoiceField(
        label="Role", error_messages={"required": "Choose the role this person will have"}
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.agencies = {str(agency.pk): agency for agency in area.agencies.all()}
        self.fields["role"].choices = role_choices(self.agencies.values())

    def clean(self):
        data = super().clean()
        value = data.get("role")
        if value:
            role, _, agency_id = value.partition(":")
            data["role"] = role
            data["agency"] = self.agencies.get(agency_id) if role == Membership.Role.LEAD else None
        return data


class InvitationForm(RoleForm):
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={"required": "Enter the person's first name"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={"required": "Enter the person's last name"},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    field_order = ["first_name", "last_name", "email", "role"]


class NewAccountForm(SetPasswordForm):
    """An invited person's name and the password they choose, checked against the
    password policy (length, common passwords, similarity to their name and email)."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter your last name"}
    )

    field_order = ["first_name", "last_name", "new_password1", "new_password2"]

    def __init__(self, invitation, *args, **kwargs):
        # An unsaved user, so that the similarity check knows their name and email.
        user = get_user_model()(
            username=invitation.email.lower(),
            email=invitation.email,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
        )
        super().__init__(user, *args, **kwargs)
        if not self.is_bound:
            self.initial.update(first_name=invitation.first_name, last_name=invitation.last_name)
        self.fields["new_password1"].label = "Password"
        self.fields["new_password2"].label = "Confirm password"

    def clean(self):
        data = super().clean()
        self.user.first_name = data.get("first_name", "")
        self.user.last_name = data.get("last_name", "")
        return data


class ResetRequestForm(PasswordResetForm):
    """Django's password reset request, worded as GOV.UK asks."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
