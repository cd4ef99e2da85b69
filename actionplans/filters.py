"""What the board filters by: the moment to compare with, and the task list's filters.

Both read the query string, so every view of the dashboard and of the list is a link
that can be shared, bookmarked, paginated and exported with the same meaning.
"""

import copy
from datetime import date

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.forms import ModelChoiceField

from inspections.forms import DateField
from inspections.models import Agency, Area

from .models import KeyTask, Lead, PlanSection
from .ratings import RAGS, changed_since, plan_rags


class ComparisonForm(forms.Form):
    """ "Since when?": a past board meeting (the last one unless another is chosen), or
    another date. Any past date is accepted as `since`, so that a link from the dashboard
    opens the list with the same comparison; the page lists the meetings to choose from.
    Checking the form needs no query: a page served from the cache runs none."""

    since = forms.DateField(
        label="Compare with the board meeting of",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Choose a board meeting from the list"},
    )
    other = DateField(
        what="The date to compare with", label="Or compare with another date", required=False
    )
    # The query string's names for these fields.
    INPUTS = ("since", "other_day", "other_month", "other_year")

    def __init__(self, data, *, today):
        super().__init__(data)
        self.today = today

    def _not_future(self, name, what):
        day = self.cleaned_data[name]
        if day and day > self.today:
            raise forms.ValidationError(f"{what} must be today or in the past")
        return day

    def clean_since(self):
        return self._not_future("since", "The date to compare with")

    def clean_other(self):
        return self._not_future("other", "The date to compare with")

    def day(self) -> date | None:
        """The date asked for; None for the default (the last meeting) or bad input."""
        if not self.is_valid():
            return None
        return self.cleaned_data["other"] or self.cleaned_data["since"]


# What a section or agency that is not one of the choices gets (Django's words for a
# model choice: the value itself is not repeated back).
NOT_A_CHOICE = {"invalid_choice": ModelChoiceField.default_error_messages["invalid_choice"]}


def _once(sql, params):
    """Choices for a form field, (value, label) rows of a query: run when first asked
    for, then kept. (A function: Django asks a field's callable choices again each time
    it reads them, and copies a function as it is with each copy of the form.)

    Raw SQL, as dashboard.overdue_count: two simple queries a request, which the ORM
    took longer to build than the database takes to run them."""
    kept = []

    def choices():
        if not kept:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                kept.append(cursor.fetchall())
        return kept[0]

    return choices


def _sections_sql():
    return (
        f"SELECT id, title FROM {PlanSection._meta.db_table}"  # noqa: S608
        " WHERE plan_id = %s ORDER BY position"
    )


def _agencies_sql():
    """An area's agencies (Area.agencies), by name."""
    field = Area._meta.get_field("agencies")
    through = field.remote_field.through._meta.db_table
    area_id, agency_id = field.m2m_column_name(), field.m2m_reverse_name()
    return (
        f"SELECT a.id, a.name FROM {Agency._meta.db_table} a"  # noqa: S608
        f" INNER JOIN {through} aa ON aa.{agency_id} = a.id"
        f" WHERE aa.{area_id} = %s ORDER BY a.name"
    )


class ShallowCopy:
    """A filter that a filter set copies shallowly.

    Every filter set deep-copies its class's filters when it is made: for the task
    list's eight, a millisecond a request. A filter set here changes only a filter's
    attributes and its `extra` (the choices, TaskFilter.__init__), so a copy with an
    `extra` of its own, and its method bound to the copy, is enough."""

    def __deepcopy__(self, memo):
        new = copy.copy(self)
        new.extra = dict(self.extra)
        if self.method is not None:
            new.method = self.method  # a FilterMethod that calls the copy's filter set
        return new


class CharFilter(ShallowCopy, django_filters.CharFilter):
    pass


class ChoiceFilter(ShallowCopy, django_filters.ChoiceFilter):
    pass


class MultipleChoiceFilter(ShallowCopy, django_filters.MultipleChoiceFilter):
    pass


class CheckboxFilter(ShallowCopy, django_filters.BooleanFilter):
    """A tick box. Its method narrows the list when ticked; unticked (False) leaves it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)  # what a tick box sends
        super().__init__(*args, **kwargs)


class TaskFilter(django_filters.FilterSet):
    """The task list's filters. Built for one plan, one comparison and one day.

    The page's controls are written in Python (filter_controls, with `options`): the
    widgets here only read the query string."""

    q = CharFilter(label="Search the key tasks", method="search")
    # The plan's sections and its area's agencies, by id (the choices are set for the
    # plan, `__init__`). Plain choices rather than querysets: one query each, for the
    # page's controls and the check of the one chosen alike, with no model per option.
    section = ChoiceFilter(label="Section", empty_label="All sections", error_messages=NOT_A_CHOICE)
    agency = ChoiceFilter(
        label="Lead agency",
        empty_label="All agencies",
        error_messages=NOT_A_CHOICE,
        method="led_by",
    )
    rag = MultipleChoiceFilter(
        label="RAG rating",
        method="rated",
        widget=forms.CheckboxSelectMultiple,
    )
    overdue = CheckboxFilter(label="Future actions past their target date", method="late")
    stale = CheckboxFilter(label="Not updated since the comparison date", method="not_updated")
    changed = CheckboxFilter(label="RAG changed since the comparison date", method="moved")
    # Withdrawn tasks are not live work: listed (and exported) only when asked for.
    withdrawn = CheckboxFilter(label="Show withdrawn key tasks too", method="with_withdrawn")

    class Meta:
        model = KeyTask
        fields = []

    def __init__(self, data, queryset, *, plan, comparison, today):
        super().__init__(data, queryset)
        self.plan, self.comparison, self.today = plan, comparison, today
        # Asked for when first needed (the exports may need neither), then kept.
        self.filters["section"].extra["choices"] = _once(_sections_sql(), [plan.pk])
        area_id = plan.inspection.area_id
        self.filters["agency"].extra["choices"] = _once(_agencies_sql(), [area_id])
        # The plan's own ratings: blue only for a plan that uses the fourth colour.
        self.filters["rag"].extra["choices"] = [
            (param, plan.rag_label(rag)) for param, rag in plan_rags(plan)
        ]

    @property
    def form(self):
        """The filters' form (django-filter's), with this request's filters' fields,
        made without the form class django-filter makes for each filter set (a class
        per request, whose fields each form then deep-copies)."""
        if not hasattr(self, "_form"):
            form = self._meta.form(self.data if self.is_bound else None, prefix=self.form_prefix)
            # Each made for this filter set (Filter.field): the form's own.
            form.fields = {name: filter_.field for name, filter_ in self.filters.items()}
            self._form = form
        return self._form

    def options(self, name):
        """(value, label, chosen) of each choice of a select or of a group of tick boxes,
        for filter_controls to write: Django's widgets render each option through
        templates of their own, which cost the task list more than all its queries."""
        field = self.form[name]
        data = field.value()
        chosen = {"" if v is None else str(v) for v in (data if isinstance(data, list) else [data])}
        return [(str(value), label, str(value) in chosen) for value, label in field.field.choices]

    def search(self, qs, name, value):
        """Words of the task, its success measures or its leads' names, in any order."""
        for word in value.split()[:10]:
            lead_named = Exists(Lead.objects.filter(task=OuterRef("pk"), name__icontains=word))
            qs = qs.filter(
                Q(description__icontains=word) | Q(success_measures__icontains=word) | lead_named
            )
        return qs

    def led_by(self, qs, name, agency_id):
        # The agency is one of this plan's area's partners (the choices say so), so
        # "a lead for all partners" needs no join back to the area: the query is planned
        # in a fraction of the time led_by_agency's general form takes (see EXPLAIN).
        return qs.led_by_agency(int(agency_id), partner_of_area=True)

    def rated(self, qs, name, params):
        return qs.filter(rag__in=[rag for param, rag in RAGS if param in params])

    def late(self, qs, name, ticked):
        return qs.overdue(self.today) if ticked else qs

    def not_updated(self, qs, name, ticked):
        if not ticked:
            return qs
        return qs.stale(self.comparison.moment if self.comparison else None)

    def moved(self, qs, name, ticked):
        return changed_since(qs, self.comparison) if ticked else qs

    def with_withdrawn(self, qs, name, ticked):
        return qs if ticked else qs.in_force()
