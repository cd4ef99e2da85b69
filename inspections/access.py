"""Who may see which area, from a user's memberships.

This is the bottom of the permission door: the `visible_to` / `editable_by`
QuerySet methods on inspections and plans all start from these sets, so the
rule "a user never sees what is not theirs" is written once.

Every role is held in one area. A lead leads for their agency in the areas they hold
a lead membership for, and only while the agency is a partner of that area.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from .models import Area, Inspection, Membership


@functools.cache
def _with_partner_check():
    """Every membership as (role, agency, area, whether the agency is a partner of the
    area). Built once a process and filtered by user for each request: the ORM took
    longer to build the partner check (twice as long as the rest of the query) than
    the database takes to answer it. Never evaluated itself, only its filtered copies."""
    partner = Area.agencies.through.objects.filter(
        area_id=OuterRef("area_id"), agency_id=OuterRef("agency_id")
    )
    return Membership.objects.annotate(is_partner=Exists(partner)).values_list(
        "role", "agency_id", "area_id", "is_partner"
    )


def _memberships(user):
    # Cached on the user object for the length of one request: several querysets
    # of one page ask the same question. One query, whatever the number of roles.
    if not hasattr(user, "_jtai_memberships"):
        user._jtai_memberships = [
            (role, agency, area)
            for role, agency, area, is_partner in _with_partner_check().filter(user_id=user.pk)
            # A lead whose agency has left the area's partnership leads nothing there.
            if role != Membership.Role.LEAD or is_partner
        ]
    return user._jtai_memberships


def lead_areas_by_agency(user) -> dict[int, set[int]]:
    """agency id -> the areas the user leads for that agency in."""
    if not user.is_authenticated:
        return {}
    areas: dict[int, set[int]] = {}
    for role, agency, area in _memberships(user):
        if role == Membership.Role.LEAD:
            areas.setdefault(agency, set()).add(area)
    return areas


def lead_agency_ids(user) -> set[int]:
    """Agencies the user is a lead for, in at least one area."""
    return set(lead_areas_by_agency(user))


def managed_area_ids(user) -> set[int]:
    """Areas whose plans the user manages (edits everything, exports, gives roles)."""
    if not user.is_authenticated:
        return set()
    return {area for role, _, area in _memberships(user) if role == Membership.Role.MANAGER}


def board_area_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return {area for role, _, area in _memberships(user) if role == Membership.Role.BOARD}


def visible_area_ids(user) -> set[int]:
    """Areas the user may read: every area they hold a role in."""
    if not user.is_authenticated:
        return set()
    return {area for _, _, area in _memberships(user)}


def get_area_for_people(user, area_id) -> Area:
    """An area whose people the user may manage: its plan managers, and superusers.

    Another area -> 404; an area the user only reads (a lead, a board member) -> 403.
    """
    if user.is_superuser:
        return get_object_or_404(Area, pk=area_id)
    area = get_object_or_404(Area, pk=area_id, pk__in=visible_area_ids(user))
    if area.pk not in managed_area_ids(user):
        raise PermissionDenied("Only the area's plan managers can give people roles.")
    return area


def forget(user):
    """Drop the cached memberships (after a membership changes within one request)."""
    if hasattr(user, "_jtai_memberships"):
        del user._jtai_memberships


def area_lead_memberships(area_id):
    """The lead memberships of area `area_id`: who is reminded about, and notified of,
    the area's key tasks ("the leads of area X for agency Y" is this filtered by
    `agency_id=Y`). The same rule as `_memberships`: a lead role in that area, for an
    agency that is a partner of it, so nobody is told about a task they cannot open."""
    return Membership.objects.filter(
        role=Membership.Role.LEAD, area_id=area_id, agency__areas=area_id
    )


def area_members(area_id, role):
    """The board members or plan managers of an area (memberships with the user)."""
    return Membership.objects.filter(role=role, area_id=area_id).select_related("user")


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
