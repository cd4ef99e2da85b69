"""Attaching evidence: a file or a link, and a note saying what it shows."""

from django import forms
from django.core.validators import URLValidator

from .uploads import MAX_SIZE_WORDS, RefusedFile, check_upload


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text=f"A PDF, Word document, Excel spreadsheet or image, smaller than {MAX_SIZE_WORDS}.",
        error_messages={
            "empty": "The selected file is empty",
            "invalid": "Select a file to upload",
            "max_length": "The file's name must be 255 characters or fewer",
        },
        max_length=255,
    )
    url = forms.CharField(
        label="Or give a link",
        required=False,
        max_length=2000,
        help_text="For example, a report on your organisation's website or shared drive. "
        "It must start with https:// or http://.",
    )
    note = forms.CharField(
        label="What does this show?",
        help_text='How it shows the success measure ("How will we know?") is being met.',
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what this evidence shows"},
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                self.checked = check_upload(upload)
            except RefusedFile as refused:
                raise forms.ValidationError(str(refused)) from None
        return upload

    def clean_url(self):
        url = self.cleaned_data.get("url", "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Enter a link that starts with https:// or http://, "
                    "like https://www.example.org/report"
                ) from None
        return url

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file")) or "file" in self.errors
        has_url = bool(cleaned.get("url")) or "url" in self.errors
        if not has_file and not has_url:
            self.add_error("file", "Select a file to upload or give a link")
        elif cleaned.get("file") and cleaned.get("url"):
            self.add_error("url", "Give a link or upload a file, not both")
        return cleaned
