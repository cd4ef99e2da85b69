"""The upload form: which inspection the plan answers, and the Word file."""

from django import forms
from django.conf import settings

from .files import ImportRefused, check_upload_size, megabytes
from .services import read_plan


class PlanImportForm(forms.Form):
    inspection = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which inspection does this plan answer?",
        error_messages={
            "required": "Select the inspection this plan answers",
            "invalid_choice": "Select one of the inspections listed",
        },
    )
    file = forms.FileField(
        label="Upload the plan",
        error_messages={
            "required": "Choose the plan's Word file (.docx)",
            "empty": "The file you chose is empty",
            "invalid": "Choose the plan's Word file (.docx)",
        },
    )

    def __init__(self, *args, inspections, upload_too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections
        self.upload_too_large = upload_too_large
        if upload_too_large:
            # The file was dropped while it arrived (imports.uploads): say why, not "choose a file".
            self.fields["file"].required = False
        self.file_bytes: bytes | None = None
        self.parsed = None

    @property
    def max_size(self) -> str:
        return megabytes(settings.PLAN_IMPORT_MAX_UPLOAD_BYTES)

    def clean_file(self):
        if self.upload_too_large:
            raise forms.ValidationError(f"The file must be smaller than {self.max_size}")
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(
                "The file must be a Word document ending .docx. In Word, choose "
                "File > Save As > Word Document (.docx) and upload that copy."
            )
        try:
            check_upload_size(upload.size)
        except ImportRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        self.file_bytes = upload.read()
        return upload

    def clean(self):
        cleaned = super().clean()
        inspection = cleaned.get("inspection")
        if inspection is not None and self.file_bytes is not None:
            try:
                self.parsed = read_plan(self.file_bytes, inspection)
            except ImportRefused as refused:
                self.add_error("file", str(refused))
        return cleaned
