"""{% comparison_fields form choices %}: the "compare with" fields of the dashboard's
form, written by actionplans.filter_controls as the task list's are."""

from django import template

from ..filter_controls import comparison_fields as _comparison_fields

register = template.Library()


@register.simple_tag
def comparison_fields(form, choices):
    return _comparison_fields(form, choices)
