"""Form fields that follow the GOV.UK Design System's patterns and error messages.

- `GovukDateField`: day, month and year boxes (the date input pattern), with the
  pattern's messages ("Target date must be a real date") and which box is wrong.
- `PlainTextField`: a textarea for text the board reads, with a limit the character
  count shows, Windows line endings counted as the browser counts them, and HTML
  refused: entries are plain text wherever they appear (plan, PDF, Word).
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

PARTS = [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)]


class DateInputWidget(forms.MultiWidget):
    """The three boxes. Templates draw them with includes/_date_input.html."""

    def __init__(self, attrs=None):
        super().__init__({key: forms.TextInput for key, _, _ in PARTS}, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateBoundField(BoundField):
    @property
    def parts(self) -> list[dict]:
        """Each box: name, id, label, width and value as typed, and whether it is wrong.

        The day box carries the field's own id, so the error summary's link lands on it.
        """
        value = self.value()
        if not isinstance(value, (list, tuple)):
            value = self.field.widget.decompress(value)
        wrong = self.wrong_parts
        return [
            {
                "key": key,
                "label": label,
                "width": width,
                "name": f"{self.html_name}_{key}",
                "id": self.auto_id if key == "day" else f"{self.auto_id}_{key}",
                "value": "" if part is None else part,
                "error": key in wrong,
            }
            for (key, label, width), part in zip(PARTS, value, strict=True)
        ]

    @property
    def wrong_parts(self) -> set[str]:
        wrong = set()
        for error in self.errors.as_data():
            wrong |= set((error.params or {}).get("parts", [key for key, _, _ in PARTS]))
        return wrong


class GovukDateField(forms.Field):
    """An optional or required date typed into day, month and year boxes."""

    widget = DateInputWidget

    def __init__(self, *, min_year=2000, max_year=2099, **kwargs):
        self.min_year, self.max_year = min_year, max_year
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        return DateBoundField(form, self, field_name)

    def to_python(self, value):
        if isinstance(value, date) or value is None:
            return value
        parts = dict(
            zip([key for key, _, _ in PARTS], (str(v or "").strip() for v in value), strict=True)
        )
        if not any(parts.values()):
            return None
        name = self.label or "Date"
        missing = [key for key, value in parts.items() if not value]
        if missing:
            raise ValidationError(
                f"{name} must include a {' and a '.join(missing)}",
                code="incomplete",
                params={"parts": missing},
            )
        not_numbers = [key for key, value in parts.items() if not value.isdigit()]
        if not_numbers:
            raise ValidationError(
                f"{name} must be a real date", code="invalid", params={"parts": not_numbers}
            )
        if len(parts["year"]) != 4:
            raise ValidationError(
                "Year must include 4 numbers", code="invalid", params={"parts": ["year"]}
            )
        try:
            value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise ValidationError(f"{name} must be a real date", code="invalid") from None
        if not self.min_year <= value.year <= self.max_year:
            raise ValidationError(
                f"{name} must be between {self.min_year} and {self.max_year}",
                code="out_of_range",
                params={"parts": ["year"]},
            )
        return value

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


# Something a browser would read as a tag or a comment: "<b", "</p", "<!--", "<?xml".
# "a < b" and "children aged <5" stay allowed.
MARKUP = re.compile(r"<\s*[/!?]?\s*[a-zA-Z!]")


class PlainTextField(forms.CharField):
    """Text the board reads, as typed, up to `max_length` characters."""

    def __init__(self, *, max_length, noun, **kwargs):
        self.noun = noun
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(max_length=max_length, **kwargs)
        self.error_messages["max_length"] = (
            f"{noun} must be {max_length:,} characters or less (it has %(show_value)s)"
        )

    def to_python(self, value):
        # Browsers count a line break as one character; the form sends two (\r\n).
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value):
        super().validate(value)
        if MARKUP.search(value):
            raise ValidationError(
                f"{self.noun} must be plain text: remove anything written as a tag between "
                "< and >, such as <b> or <script>",
                code="markup",
            )
