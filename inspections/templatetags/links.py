"""{% link "name" id ... %}: {% url %} for the app's own pages, kept once a process
(inspections.links), for the pages every request draws (the header, the task list)."""

from django import template

from ..links import link as _link

register = template.Library()


@register.simple_tag
def link(name, *ids):
    return _link(name, *ids)
