"""Confirmed completion, as the plan manager sees it: the form that confirms a proposed
completion or returns it to the lead with a reason. The steps themselves are written
by `services` (`record_update` proposes, `confirm_completion`, `return_completion`).
"""

from django import forms


class CompletionDecisionForm(forms.Form):
    CONFIRM, RETURN = "confirm", "return"

    decision = forms.ChoiceField(
        label="Is this key task completed?",
        choices=[
            (CONFIRM, "Yes, confirm it as completed"),
            (RETURN, "No, return it to the lead"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to confirm or return the completion"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when you return it: what the lead must do or show first. "
        "Optional when you confirm.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter why the completion is returned")
        return cleaned
