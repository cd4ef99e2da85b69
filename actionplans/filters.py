"""What the board filters by: the moment to compare with, and the task list's filters.

Both read the query string, so every view of the dashboard and of the list is a link
that can be shared, bookmarked, paginated and exported with the same meaning.
"""

from datetime import date

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from inspections.forms import DateField
from inspections.models import Agency

from .dashboard import RAGS, Comparison, changed_since
from .models import KeyTask, Lead, PlanSection


class ComparisonForm(forms.Form):
    """ "Since when?": a past board meeting (the last one unless another is chosen), or
    another date. A date in the query string that is no meeting is kept as a choice so
    that a link from the dashboard opens the list with the same comparison."""

    since = forms.ChoiceField(label="Compare with the board meeting of", required=False)
    other = DateField(what="The date to compare with", label="Or compare with another date")
    # The query string's names for these fields.
    INPUTS = ("since", "other_day", "other_month", "other_year")

    def __init__(self, data, *, meetings, today):
        super().__init__(data)
        self.today = today
        self.meetings = {m.date: m for m in meetings}
        choices = [(day.isoformat(), f"{day:%-d %B %Y}") for day in sorted(self.meetings)[::-1]]
        chosen = self._iso(data.get("since"))
        if chosen and chosen not in self.meetings and chosen <= today:
            choices.insert(0, (chosen.isoformat(), f"{chosen:%-d %B %Y} (the date chosen)"))
        self.fields["since"].choices = choices
        self.fields["other"].required = False
        self.fields["since"].widget.attrs["class"] = "govuk-select"

    @staticmethod
    def _iso(value):
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None

    def clean_other(self):
        day = self.cleaned_data["other"]
        if day and day > self.today:
            raise forms.ValidationError("The date to compare with must be today or in the past")
        return day

    def comparison(self) -> Comparison | None:
        """The chosen comparison; the last meeting when nothing valid was chosen, None
        when the area has recorded no meeting and no date was given."""
        day = None
        if self.is_valid():
            day = self.cleaned_data["other"] or self._iso(self.cleaned_data["since"])
        if day is None:
            if not self.meetings:
                return None
            day = max(self.meetings)
        return Comparison(day, self.meetings.get(day))


class CheckboxFilter(django_filters.BooleanFilter):
    """A tick box. Its method narrows the list when ticked; unticked (False) leaves it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}))
        super().__init__(*args, **kwargs)


class TaskFilter(django_filters.FilterSet):
    """The task list's filters. Built for one plan, one comparison and one day."""

    q = django_filters.CharFilter(label="Search the key tasks", method="search")
    section = django_filters.ModelChoiceFilter(
        label="Section",
        queryset=PlanSection.objects.none(),
        empty_label="All sections",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    agency = django_filters.ModelChoiceFilter(
        label="Lead agency",
        queryset=Agency.objects.none(),
        empty_label="All agencies",
        method="led_by",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    rag = django_filters.MultipleChoiceFilter(
        label="RAG rating",
        method="rated",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
    )
    overdue = CheckboxFilter(label="Future actions past their target date", method="late")
    stale = CheckboxFilter(label="Not updated since the comparison date", method="not_updated")
    changed = CheckboxFilter(label="RAG changed since the comparison date", method="moved")

    class Meta:
        model = KeyTask
        fields = []

    def __init__(self, data, queryset, *, plan, comparison, today):
        super().__init__(data, queryset)
        self.plan, self.comparison, self.today = plan, comparison, today
        self.filters["section"].queryset = plan.sections.order_by("position")
        self.filters["agency"].queryset = Agency.objects.filter(
            areas=plan.inspection.area_id
        ).order_by("name")
        self.filters["rag"].extra["choices"] = [(param, plan.rag_label(rag)) for param, rag in RAGS]
        self.filters["q"].field.widget.attrs["class"] = "govuk-input"

    def search(self, qs, name, value):
        """Words of the task, its success measures or its leads' names, in any order."""
        for word in value.split()[:10]:
            lead_named = Exists(Lead.objects.filter(task=OuterRef("pk"), name__icontains=word))
            qs = qs.filter(
                Q(description__icontains=word) | Q(success_measures__icontains=word) | lead_named
            )
        return qs

    def led_by(self, qs, name, agency):
        return qs.led_by_agency(agency.pk)

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
