"""The plan manager's forms: each carries the plan version its page was built from.

Leads and introduction paragraphs are formsets with one blank row to add another,
so the pages work without JavaScript.
"""

from django import forms

from inspections.forms import DateField
from inspections.models import Agency, BoardMeeting, Finding

from ..models import ActionPlan
from .services import DETAIL_FIELDS, LeadSpec, TaskContent

REASON_HINT = "Recorded in the plan's history with your name and the time."


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why are you making this change? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class PlanDetailsForm(VersionedForm):
    title = forms.CharField(
        max_length=300, error_messages={"required": "Enter the plan's title"}, label="Title"
    )
    version_label = forms.CharField(
        max_length=100,
        required=False,
        label="Version label",
        help_text="As the document writes it, for example Final Draft 18/04/18",
    )
    running_heading = forms.CharField(
        max_length=300,
        required=False,
        label="Running heading",
        help_text="The heading repeated on every page of the document",
    )
    rag_red_label = forms.CharField(max_length=60, label="Red means")
    rag_amber_label = forms.CharField(max_length=60, label="Amber means")
    rag_green_label = forms.CharField(max_length=60, label="Green means")
    rag_blue_enabled = forms.BooleanField(
        required=False,
        label="Use a fourth colour, blue",
        help_text="For partnerships that rate BRAG: blue goes beyond green. It cannot be "
        "turned off while a key task is rated blue.",
    )
    rag_blue_label = forms.CharField(
        max_length=60,
        required=False,
        label="Blue means",
        help_text="Only with the fourth colour, for example Completed and embedded",
    )
    rag_unrated_label = forms.CharField(max_length=60, label="A task not yet rated shows as")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("rag_red_label", "rag_amber_label", "rag_green_label", "rag_unrated_label"):
            label = self.fields[name].label.lower()
            self.fields[name].error_messages["required"] = f"Enter what {label}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rag_blue_enabled") and not cleaned.get("rag_blue_label", "").strip():
            self.add_error("rag_blue_label", "Enter what blue means, or do not use a fourth colour")
        return cleaned

    def details(self) -> dict:
        """The plan's details as `services.edit_details` takes them. A blue label left
        empty while the fourth colour is off keeps the plan's."""
        details = {}
        for name in DETAIL_FIELDS:
            value = self.cleaned_data[name]
            details[name] = value.strip() if isinstance(value, str) else value
        if not details["rag_blue_label"]:
            details["rag_blue_label"] = self.initial.get("rag_blue_label") or (
                ActionPlan._meta.get_field("rag_blue_label").default
            )
        return details

    @classmethod
    def initial_for(cls, plan: ActionPlan) -> dict:
        return {name: getattr(plan, name) for name in DETAIL_FIELDS} | {"version": plan.version}


class IntroParagraphForm(forms.Form):
    heading = forms.CharField(max_length=200, required=False, label="Sub-heading (optional)")
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))


IntroFormSet = forms.formset_factory(IntroParagraphForm, extra=1)


class SectionForm(VersionedForm):
    title = forms.CharField(
        max_length=300,
        label="Section title",
        help_text="For example, Actions for Cleveland Police",
        error_messages={"required": "Enter the section's title"},
    )
    whole_partnership = forms.TypedChoiceField(
        label="Whose actions are these?",
        choices=[("yes", "The whole partnership's"), ("no", "One or more agencies'")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whose actions the section holds"},
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Agencies of the section",
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = area.agencies.order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("whole_partnership") is False and not cleaned.get("agencies"):
            self.add_error("agencies", "Select the agencies whose actions the section holds")
        return cleaned


class TaskForm(VersionedForm):
    description = forms.CharField(
        label="Key task",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the key task"},
        help_text="A blank line starts a new paragraph",
    )
    success_measures = forms.CharField(
        label="How will we know?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The evidence of impact on children; one measure a line",
    )
    findings = forms.ModelMultipleChoiceField(
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which findings does it answer?",
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = inspection.findings.exclude(
            kind=Finding.Kind.STRENGTH
        ).order_by("kind", "position")


class LeadForm(forms.Form):
    name = forms.CharField(
        max_length=300,
        required=False,
        label="Lead",
        help_text="As the plan writes it, for example D. Supt. PVP",
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Agencies this lead stands for",
    )
    all_partners = forms.BooleanField(required=False, label="Every partner agency")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and (cleaned.get("agencies") or cleaned.get("all_partners")):
            self.add_error("name", "Enter the lead's name, or clear its agencies")
        return cleaned


class BaseLeadFormSet(forms.BaseFormSet):
    def __init__(self, *args, agencies, **kwargs):
        self.agencies = agencies
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"agencies": self.agencies}

    def specs(self) -> list[LeadSpec]:
        return [
            LeadSpec(
                name=form.cleaned_data["name"].strip(),
                agency_ids=[agency.pk for agency in form.cleaned_data["agencies"]],
                all_partners=form.cleaned_data["all_partners"],
            )
            for form in self.forms
            if form.cleaned_data.get("name", "").strip()
        ]


LeadFormSet = forms.formset_factory(LeadForm, formset=BaseLeadFormSet, extra=1)


def task_content(form: TaskForm, leads: BaseLeadFormSet) -> TaskContent:
    data = form.cleaned_data
    return TaskContent(
        description=data["description"].strip().replace("\r\n", "\n"),
        success_measures=data["success_measures"].strip().replace("\r\n", "\n"),
        leads=leads.specs(),
        finding_ids=[finding.pk for finding in data["findings"]],
    )


class RemoveForm(VersionedForm):
    reason = forms.CharField(
        label="Why is it being removed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why it is being removed"},
    )


class AgreeForm(VersionedForm):
    meeting = forms.ModelChoiceField(
        queryset=BoardMeeting.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="At which board meeting was the plan agreed?",
        error_messages={
            "required": "Select the board meeting that agreed the plan",
            "invalid_choice": "Select one of the meetings listed",
        },
    )

    def __init__(self, *args, area, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = area.board_meetings.filter(date__lte=today).order_by(
            "-date"
        )


class SubmitForm(VersionedForm):
    submitted_on = DateField(what="The date it was sent", label="When was it sent?")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_submitted_on(self):
        day = self.cleaned_data["submitted_on"]
        if day > self.today:
            raise forms.ValidationError("The date it was sent must be today or in the past")
        return day


class StartPlanForm(forms.Form):
    how = forms.ChoiceField(
        label="How do you want to start the plan?",
        choices=[
            ("findings", "Draft it from the inspection's findings"),
            ("blank", "Start with a blank plan"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how to start the plan"},
    )
    title = forms.CharField(
        max_length=300, label="Title of the plan", error_messages={"required": "Enter a title"}
    )


class AgencyAliasForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Agency",
        empty_label="Choose the agency",
        error_messages={
            "required": "Choose the agency the other name stands for",
            "invalid_choice": "Choose one of the area's agencies",
        },
    )
    alias = forms.CharField(
        max_length=200,
        label="The other name",
        help_text="As your plans write it, for example Stockton Council or NTHFT",
        error_messages={"required": "Enter the other name"},
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["agency"].queryset = area.agencies.order_by("name")

    def clean_alias(self):
        alias = " ".join(self.cleaned_data["alias"].split())
        if self.area.agency_aliases.filter(alias__iexact=alias).exists():
            raise forms.ValidationError(f"“{alias}” is already a name of an agency of this area")
        return alias
