"""Who is told about what: every choice of recipient starts from `inspections.access`.

The leads of an area come from `area_lead_memberships`, the same rule that decides
which areas a lead sees, so a reminder never lists a task its reader cannot open.
"""

from collections import defaultdict

from inspections.access import area_lead_memberships, area_members
from inspections.models import Membership

from .models import EmailPreferences


def leads_by_user(area_id) -> dict:
    """user -> the ids of the agencies they lead for in the area."""
    agencies = defaultdict(set)
    for membership in area_lead_memberships(area_id).select_related("user"):
        if membership.user.is_active and membership.user.email:
            agencies[membership.user].add(membership.agency_id)
    return agencies


def plan_managers(area_id) -> list:
    return _users(area_members(area_id, Membership.Role.MANAGER))


def board_members(area_id) -> list:
    return _users(area_members(area_id, Membership.Role.BOARD))


def _users(memberships):
    users = {m.user for m in memberships if m.user.is_active and m.user.email}
    return sorted(users, key=lambda user: user.pk)


def task_lead_agencies(task, area_agency_ids) -> set[int]:
    """The agencies that lead a task (leads prefetched with their agencies)."""
    return task.lead_agency_ids(partner_ids=area_agency_ids)


class Preferences:
    """Each person's email choices, loaded once for a run (no row: everything)."""

    def __init__(self):
        self._rows = {p.user_id: p for p in EmailPreferences.objects.all()}

    def wants(self, user, choice: str) -> bool:
        row = self._rows.get(user.pk)
        return True if row is None else getattr(row, choice)
