"""The two forms of "Add an inspection from its letter": the upload, and the check.

The upload form reads the letter (in a child process, `limits`) as part of its
validation, so a file that cannot be read is an error on the file field with the reader's
own message. The check form is the preview: what was read, as initial values the plan
manager can correct, and one tick box per finding.
"""

import re

from django import forms
from django.conf import settings
from django.utils.text import capfirst

from ..forms import DateField
from ..models import Inspection
from .limits import read_letter_limited
from .result import LetterReading
from .text import MAX_BYTES, LetterRefused, megabytes

KIND_TITLES = {
    "priority": "Areas for priority action",
    "improvement": "Areas for improvement",
    "strength": "Strengths",
}
# Refusals after which the inspection can still be added by hand.
ENTER_BY_HAND = {"no_text", "no_lists"}


class LetterUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the findings letter",
        error_messages={
            "required": "Choose the findings letter's PDF file",
            "empty": "The file you chose is empty",
            "invalid": "Choose the findings letter's PDF file",
        },
    )

    def __init__(self, *args, upload_too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large
        if upload_too_large:
            # The file was dropped while it arrived (inspections.uploads): say why.
            self.fields["file"].required = False
        self.reading: LetterReading | None = None
        self.refused_code: str | None = None

    max_size = megabytes(MAX_BYTES)

    def clean_file(self):
        if self.upload_too_large:
            self.refused_code = "too_large"
            raise forms.ValidationError(f"The file must be smaller than {self.max_size}")
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            self.refused_code = "too_large"
            raise forms.ValidationError(f"The file must be smaller than {self.max_size}")
        try:
            self.reading = read_letter_limited(
                upload.read(),
                seconds=settings.LETTER_READ_SECONDS,
                memory_mb=settings.LETTER_READ_MEMORY_MB,
            )
        except LetterRefused as refused:
            self.refused_code = refused.code
            raise forms.ValidationError(str(refused)) from None
        return upload

    @property
    def offer_by_hand(self) -> bool:
        return self.refused_code in ENTER_BY_HAND


def _area_named(areas, name: str | None):
    """The area whose name the letter gives (ignoring case, "the" and punctuation)."""
    if not name:
        return None

    def fold(text):
        return re.sub(r"[^a-z0-9]+", " ", text.lower().removeprefix("the ")).strip()

    wanted = fold(name)
    candidates = list(areas)
    for area in candidates:
        if fold(area.name) == wanted:
            return area
    for area in candidates:  # "South Tyneside Metropolitan Borough" is South Tyneside
        if wanted.startswith(fold(area.name) + " ") or fold(area.name).startswith(wanted + " "):
            return area
    return None


class InspectionFromLetterForm(forms.Form):
    """What to write: the inspection's details (unless adding to an existing one) and which
    of the findings read to keep. Without a reading it is the by-hand form (no findings)."""

    area = forms.ModelChoiceField(
        queryset=None,
        label="Area",
        empty_label="Choose the area",
        error_messages={
            "required": "Choose the area the letter is about",
            "invalid_choice": "Choose one of the areas listed",
        },
    )
    theme = forms.CharField(label="Deep-dive theme (optional)", required=False, max_length=200)
    fieldwork_start = DateField(what="The first day of the fieldwork")
    fieldwork_end = DateField(what="The last day of the fieldwork")
    letter_published = DateField(what="The letter's date")
    report_received = DateField(what="The date the report was received")
    statement_due_stated = DateField(what="The stated deadline", required=False)
    findings = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args,
        areas=None,
        reading: LetterReading | None = None,
        inspection: Inspection | None = None,
        recorded=frozenset(),
        **kwargs,
    ):
        self.reading = reading
        self.inspection = inspection
        self.recorded = recorded
        if reading is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = self._initial(areas, reading)
        super().__init__(*args, **kwargs)
        if inspection is not None:
            for name in list(self.fields):
                if name != "findings":
                    del self.fields[name]
        else:
            self.fields["area"].queryset = areas
        findings = reading.findings if reading else []
        self.fields["findings"].choices = [
            (index, finding.text) for index, finding in enumerate(findings) if index not in recorded
        ]
        if reading is None:
            del self.fields["findings"]

    def _initial(self, areas, reading):
        chosen = [i for i in range(len(reading.findings)) if i not in self.recorded]
        return {
            "area": _area_named(areas, reading.area) if areas is not None else None,
            "theme": capfirst(reading.theme or ""),
            "fieldwork_start": reading.fieldwork_start,
            "fieldwork_end": reading.fieldwork_end,
            "letter_published": reading.letter_date,
            # The letter is the report: the 70 working days run from its date unless the
            # partnership received it on another day.
            "report_received": reading.letter_date,
            "statement_due_stated": reading.statement_due,
            "findings": chosen,
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fieldwork_start"), cleaned.get("fieldwork_end")
        if start and end and end < start:
            self.add_error(
                "fieldwork_end", "The last day of the fieldwork must be on or after the first"
            )
        letter, due = cleaned.get("letter_published"), cleaned.get("statement_due_stated")
        if letter and start and letter < start:
            self.add_error(
                "letter_published", "The letter's date must be after the fieldwork began"
            )
        if letter and due and due <= letter:
            self.add_error(
                "statement_due_stated", "The stated deadline must be after the letter's date"
            )
        if self.inspection is not None and not cleaned.get("findings"):
            self.add_error("findings", "Select at least one finding to add")
        return cleaned

    def chosen_findings(self):
        if self.reading is None:
            return []
        return [
            self.reading.findings[i] for i in sorted(set(self.cleaned_data.get("findings") or []))
        ]

    @property
    def first_open_index(self):
        """The first finding that can be ticked: its box carries the field's id, for the
        error summary's link."""
        return (
            next((i for i, _ in self.fields["findings"].choices), None)
            if "findings" in self.fields
            else None
        )

    def groups(self):
        """The findings by kind, each with its tick box, for the template."""
        if self.reading is None:
            return []
        boxes = {int(box.data["value"]): box for box in self["findings"]}
        out = []
        for kind, title in KIND_TITLES.items():
            rows = [
                {"index": i, "finding": f, "box": boxes.get(i), "recorded": i in self.recorded}
                for i, f in enumerate(self.reading.findings)
                if f.kind == kind
            ]
            if rows:
                out.append({"kind": kind, "title": title, "rows": rows})
        return out
