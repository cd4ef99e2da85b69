"""Who may see which area, from a user's memberships.

This is the bottom of the permission door: the `visible_to` / `editable_by`
QuerySet methods on inspections and plans all start from these sets, so the
rule "a user never sees what is not theirs" is written once.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Area, Inspection, Membership


def _memberships(user):
    # Cached on the user object for the length of one request: several querysets
    # of one page ask the same question.
    if not hasattr(user, "_jtai_memberships"):
        user._jtai_memberships = list(
            Membership.objects.filter(user_id=user.pk).values_list("role", "agency_id", "area_id")
        )
    return user._jtai_memberships


def lead_agency_ids(user) -> set[int]:
    """Agencies the user is a lead for."""
    if not user.is_authenticated:
        return set()
    return {agency for role, agency, _ in _memberships(user) if role == Membership.Role.LEAD}


def managed_area_ids(user) -> set[int]:
    """Areas whose plans the user manages (edits everything, exports)."""
    if not user.is_authenticated:
        return set()
    return {area for role, _, area in _memberships(user) if role == Membership.Role.MANAGER}


def board_area_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return {area for role, _, area in _memberships(user) if role == Membership.Role.BOARD}


def visible_area_ids(user):
    """Areas the user may read: their board and manager areas, and every area that an
    agency they lead for is a partner of. Returns a set or a subquery."""
    if not user.is_authenticated:
        return set()
    direct = managed_area_ids(user) | board_area_ids(user)
    agencies = lead_agency_ids(user)
    if not agencies:
        return direct
    partner_areas = set(
        Area.agencies.through.objects.filter(agency_id__in=agencies).values_list(
            "area_id", flat=True
        )
    )
    return direct | partner_areas


def forget(user):
    """Drop the cached memberships (after a membership changes within one request)."""
    if hasattr(user, "_jtai_memberships"):
        del user._jtai_memberships


def areas_for_letters(user):
    """The areas a user may add an inspection to from its letter: those they manage
    (every area for a superuser). Anyone else gets 403, as on other managers' pages."""
    if user.is_superuser:
        return Area.objects.all()
    managed = managed_area_ids(user)
    if not managed:
        raise PermissionDenied("Only plan managers can add an inspection from its letter.")
    return Area.objects.filter(pk__in=managed)


def get_inspection_for_letter(user, inspection_id):
    """An inspection to add a letter's findings to: 404 unless the user may see it, 403
    unless they manage its area."""
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("area"), pk=inspection_id
    )
    if not (user.is_superuser or inspection.area_id in managed_area_ids(user)):
        raise PermissionDenied("Only the area's plan managers can add findings.")
    return inspection
