"""Who may see which area, from a user's memberships.

This is the bottom of the permission door: the `visible_to` / `editable_by`
QuerySet methods on inspections and plans all start from these sets, so the
rule "a user never sees what is not theirs" is written once.
"""

from .models import Area, Membership


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


def area_lead_memberships(area_id):
    """The lead memberships that lead for an agency in area `area_id`: who is reminded
    about, and notified of, the area's key tasks ("the leads of area X for agency Y" is
    this filtered by `agency_id=Y`).

    Today a lead membership names an agency only and counts in every area the agency is
    a partner of (the rule `visible_area_ids` uses). Once leads are per area (one
    membership per area, with agency and area), add `area_id=area_id` to the filter.
    """
    return Membership.objects.filter(role=Membership.Role.LEAD, agency__areas=area_id)


def area_members(area_id, role):
    """The board members or plan managers of an area (memberships with the user)."""
    return Membership.objects.filter(role=role, area_id=area_id).select_related("user")
