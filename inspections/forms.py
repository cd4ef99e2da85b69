"""Forms about an area: its board meetings; and the GOV.UK date input they use.

A date is asked for as three boxes (day, month, year), as the GOV.UK Design System
recommends for dates people know, with its error messages: what is missing, or that
the date is not a real one. What the user typed is kept on an error.
"""

from datetime import date

from django import forms
from django.db import IntegrityError, transaction
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .models import BoardMeeting


class DateInput(forms.MultiWidget):
    """Day, month and year boxes, named <name>_day, <name>_month and <name>_year.

    The day box carries the field's own id, so the error summary's link to the field
    lands in it. Written here rather than by a template (`render`): the form renderer's
    templates for three boxes cost a page such as the task list more than its own
    filters.
    """

    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        super().__init__({part: forms.TextInput(attrs=box) for part in self.parts}, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        invalid = context["widget"]["attrs"].get("aria-invalid") == "true"
        for part, widget in zip(self.parts, context["widget"]["subwidgets"], strict=True):
            attrs = widget["attrs"]
            if field_id:
                attrs["id"] = field_id if part == "day" else f"{field_id}_{part}"
            width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            attrs["class"] = f"{attrs['class']} {width}" + (
                " govuk-input--error" if invalid else ""
            )
            # The fieldset is described by the hint and the error; the boxes only by
            # their own labels.
            attrs.pop("aria-describedby", None)
            widget["label"] = part.capitalize()
        return context

    def render(self, name, value, attrs=None, renderer=None):
        """GOV.UK's date input: each box with its label; an attribute that is False is
        left out, one that is True written bare, as Django's widget templates do."""
        items = []
        for box in self.get_context(name, value, attrs)["widget"]["subwidgets"]:
            written = [f' name="{conditional_escape(box["name"])}"']
            if box["value"] is not None:
                written.append(f' value="{conditional_escape(box["value"])}"')
            for attr, attr_value in box["attrs"].items():
                if attr_value is True:
                    written.append(f" {conditional_escape(attr)}")
                elif attr_value is not False:
                    written.append(
                        f' {conditional_escape(attr)}="{conditional_escape(attr_value)}"'
                    )
            items.append(
                '<div class="govuk-date-input__item"><div class="govuk-form-group">'
                '<label class="govuk-label govuk-date-input__label"'
                f' for="{conditional_escape(box["attrs"].get("id", ""))}">'
                f"{conditional_escape(box['label'])}</label>"
                f'<input type="text"{"".join(written)}></div></div>'
            )
        return mark_safe(f'<div class="govuk-date-input">{"".join(items)}</div>')  # noqa: S308


class DateField(forms.MultiValueField):
    """A real calendar date from three boxes, with GOV.UK's wording for what is wrong."""

    widget = DateInput

    def __init__(self, *, what="The date", **kwargs):
        self.what = what
        # Parts are optional on their own so that compress() can say which one is missing.
        parts = [forms.CharField(required=False, max_length=4) for _ in DateInput.parts]
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter {what[0].lower()}{what[1:]}")
        kwargs["error_messages"].setdefault("incomplete", f"Enter {what[0].lower()}{what[1:]}")
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, values):
        if not values or not any(values):
            return None
        day, month, year = (values + [None] * 3)[:3]
        missing = [
            name
            for name, value in zip(DateInput.parts, (day, month, year), strict=True)
            if not value
        ]
        if missing:
            raise forms.ValidationError(
                f"{self.what} must include a {' and '.join(missing)}", code="incomplete_date"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{self.what} must be a real date", code="invalid_date")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="year_digits")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.what} must be a real date", code="invalid_date"
            ) from None


class BoardMeetingForm(forms.ModelForm):
    """Record a meeting of the area's board: when, and what it is called if not just that."""

    # Plans run for a few years after an inspection; boards book meetings a year or so ahead.
    EARLIEST_YEAR = 2000
    YEARS_AHEAD = 3

    date = DateField(what="The date of the meeting")

    class Meta:
        model = BoardMeeting
        fields = ["date", "title"]
        labels = {"title": "Name of the meeting (optional)"}

    def __init__(self, *args, area, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.area = area
        self.today = today

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day.year < self.EARLIEST_YEAR:
            raise forms.ValidationError(
                f"The date of the meeting must be in {self.EARLIEST_YEAR} or later"
            )
        latest_year = self.today.year + self.YEARS_AHEAD
        if day.year > latest_year:
            raise forms.ValidationError(
                f"The date of the meeting must be in {latest_year} or earlier"
            )
        # The unique (area, date) constraint involves the area, which is not a field of
        # the form, so the form checks it itself.
        if BoardMeeting.objects.filter(area=self.instance.area, date=day).exists():
            raise forms.ValidationError(self._already_recorded(day))
        return day

    def _already_recorded(self, day) -> str:
        return f"A board meeting on {day:%-d %B %Y} is already recorded for {self.instance.area}"

    def save(self, commit=True):
        """The meeting, or None with the error on the form when another request recorded
        the same date between `clean_date`'s check and this insert (a double click, two
        managers at once): the database's unique constraint decides, as a form error."""
        if not commit:
            return super().save(commit=False)
        try:
            with transaction.atomic():
                return super().save()
        except IntegrityError:
            day = self.cleaned_data["date"]
            if not BoardMeeting.objects.filter(area=self.instance.area, date=day).exists():
                raise  # some other constraint: not ours to explain
            self.add_error("date", self._already_recorded(day))
            return None
