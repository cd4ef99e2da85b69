"""Template checks built on the access door, for links only some users should see.

The views still check on their own: hiding a link is a courtesy, not the protection.
"""

from django import template

from inspections.access import managed_area_ids

from ..access import can_manage_plan

register = template.Library()


@register.filter
def manages(user, plan) -> bool:
    """{% if user|manages:plan %}: the user may manage (and export) this plan."""
    return can_manage_plan(user, plan)


@register.filter
def manages_any_area(user) -> bool:
    """{% if user|manages_any_area %}: the user is a plan manager somewhere (may import)."""
    return user.is_superuser or bool(managed_area_ids(user))


@register.filter
def manages_area(user, area_id) -> bool:
    """{% if user|manages_area:inspection.area_id %}: may import a plan for this area."""
    return user.is_superuser or area_id in managed_area_ids(user)
