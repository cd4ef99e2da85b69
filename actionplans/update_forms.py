"""The update page's form: one save of a key task, as one `TaskChange`.

The page is four parts (the rating and its reason, new action-to-date entries, the
task's planned future actions, new future actions), bound and validated together by
`TaskUpdateForm`. Hidden fields carry the task id and version the page was built
from, so a save made from an out-of-date page is caught (a conflict, not an
overwrite), and each planned future action's text as first shown, so that after a
conflict the user's edits can be told apart from what they left alone.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import dateformat

from .form_fields import GovukDateField, PlainTextField
from .models import FutureAction, KeyTask, Rag
from .services import TaskChange, blue_refusal

# Limits the character counts show. An action-to-date entry is a short paragraph
# (the Stockton plan's longest is 152 characters), a future action a sentence or two
# (longest 184); a reason has to explain a change to the board.
ACTION_MAX = 1000
FUTURE_ACTION_MAX = 500
REASON_MAX = 1000
DROP_REASON_MAX = 500
# New entries one save can add; more is a sign of a pasted document.
MAX_NEW_ROWS = 20
# Open future actions one save can edit: the page shows every one, and a task has a
# handful (a task with more still gets all of its own). A post with more rows than these
# caps did not come from our page (issue 11: planned-TOTAL_FORMS=2000 built and rendered
# 2,000 rows); Django builds no more forms than `absolute_max`, and the form refuses the
# post as a whole.
MAX_PLANNED_ROWS = 100
TOO_MANY_ROWS = (
    "This update has more rows than the page offers, so nothing was saved. "
    "Enter your update again below."
)

OPEN, DONE, DROPPED = (
    FutureAction.Status.OPEN,
    FutureAction.Status.DONE,
    FutureAction.Status.DROPPED,
)


def same_text(a, b) -> bool:
    """Equal once line endings and outer spaces are ignored (as browsers send them)."""
    return (a or "").replace("\r\n", "\n").strip() == (b or "").replace("\r\n", "\n").strip()


class DetailsForm(forms.Form):
    task = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    original_rag = forms.CharField(widget=forms.HiddenInput, required=False)
    rag = forms.ChoiceField(
        label="RAG rating",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select a RAG rating from the list"},
    )
    reason = PlainTextField(
        label="Reason for the change",
        noun="Reason",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, task: KeyTask, manages: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        plan = task.section.plan
        choices = list(plan.rag_key)
        # Blue, where the plan uses it, only by the rule services.blue_refusal keeps:
        # for a lead, once the task's completion is confirmed (green).
        self.blue_hint = ""
        if plan.rag_blue_enabled and blue_refusal(plan=plan, from_rag=task.rag, manages=manages):
            choices.remove((Rag.BLUE, plan.rag_blue_label))
            self.blue_hint = (
                f"“{plan.rag_blue_label}” can be chosen once a plan manager has confirmed "
                f"the key task as “{plan.rag_green_label}”."
            )
        # "Not yet rated" is offered only while it is the current rating: a task is
        # not taken back to unrated once the board has seen a rating.
        if task.rag == Rag.UNRATED:
            choices.append((Rag.UNRATED, plan.rag_unrated_label))
        self.fields["rag"].choices = choices

    @property
    def rag_hint(self) -> str:
        """The hint of the rating's radios: the rating now, and when blue can be chosen."""
        hint = f"The plan's own words. Now: {self.task.rag_label}."
        return f"{hint} {self.blue_hint}" if self.blue_hint else hint

    def clean_task(self):
        if self.cleaned_data["task"] != self.task.pk:
            raise ValidationError(
                "This update was filled in for a different task, so nothing was saved. "
                "Check the task above and enter your update again.",
                code="wrong_task",
            )
        return self.cleaned_data["task"]

    def clean_rag(self):
        # Empty means "leave the rating as it is".
        return self.cleaned_data["rag"] or None

    def clean(self):
        cleaned = super().clean()
        rag = cleaned.get("rag")
        if rag is not None and rag != self.task.rag and not cleaned.get("reason"):
            self.add_error("reason", "Enter why the rating has changed")
        return cleaned


class NewActionForm(forms.Form):
    text = PlainTextField(
        label="What has been done?", noun="Action to date", max_length=ACTION_MAX, required=False
    )


class NewFutureActionForm(forms.Form):
    text = PlainTextField(
        label="New future action",
        noun="Future action",
        max_length=FUTURE_ACTION_MAX,
        required=False,
    )
    target_date = GovukDateField(label="Target date", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target_date") and not cleaned.get("text"):
            self.add_error("text", "Enter the future action, or remove its target date")
        return cleaned


class PlannedActionForm(forms.Form):
    """One of the task's open future actions: edit it, mark it done or drop it."""

    STATUS_CHOICES = [(OPEN, "Planned"), (DONE, "Done"), (DROPPED, "Dropped")]

    id = forms.IntegerField(widget=forms.HiddenInput)
    original_text = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    original_target_date = forms.DateField(widget=forms.HiddenInput, required=False)
    text = PlainTextField(
        label="Future action", noun="Future action", max_length=FUTURE_ACTION_MAX, required=False
    )
    target_date = GovukDateField(label="Target date", required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the future action is still planned, done or dropped",
            "invalid_choice": "Select whether the future action is still planned, done or dropped",
        },
    )
    drop_reason = PlainTextField(
        label="Why is it being dropped?",
        noun="Reason for dropping",
        max_length=DROP_REASON_MAX,
        required=False,
    )

    def __init__(self, *args, open_actions: dict[int, FutureAction], **kwargs):
        super().__init__(*args, **kwargs)
        self.open_actions = open_actions

    def clean_id(self):
        if self.cleaned_data["id"] not in self.open_actions:
            raise ValidationError(
                "This is not one of this task’s planned future actions, so nothing was saved. "
                "Open the task again to see its future actions as they are now.",
                code="not_this_task",
            )
        return self.cleaned_data["id"]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status in (OPEN, DONE) and "text" in cleaned and not cleaned["text"]:
            self.add_error("text", "Enter the future action, or select Dropped")
        if status == DROPPED and "drop_reason" in cleaned and not cleaned["drop_reason"]:
            self.add_error("drop_reason", "Enter why this future action is being dropped")
        return cleaned

    @property
    def action(self) -> FutureAction | None:
        return self.open_actions.get(self.cleaned_data.get("id"))

    def edit(self) -> tuple[str, object] | None:
        """(text, target date) when the user changed either, else None."""
        action, text, target = (
            self.action,
            self.cleaned_data["text"],
            self.cleaned_data["target_date"],
        )
        if same_text(text, action.text) and target == action.target_date:
            return None
        return text, target


class CappedFormSet(forms.BaseFormSet):
    default_error_messages = {"too_many_forms": TOO_MANY_ROWS}


class BasePlannedFormSet(CappedFormSet):
    def __init__(self, *args, form_kwargs, **kwargs):
        super().__init__(*args, form_kwargs=form_kwargs, **kwargs)
        # Never fewer than the task's open future actions: the page shows every one.
        self.max_num = self.absolute_max = max(self.absolute_max, len(form_kwargs["open_actions"]))

    def clean(self):
        seen = set()
        for form in self.forms:
            pk = form.cleaned_data.get("id")
            if pk in seen:
                raise ValidationError("The same future action appears twice. Nothing was saved.")
            seen.add(pk)


def _capped(form, most, formset=CappedFormSet):
    return formset_factory(
        form, formset=formset, extra=0, max_num=most, absolute_max=most, validate_max=True
    )


NewActionFormSet = _capped(NewActionForm, MAX_NEW_ROWS)
NewFutureActionFormSet = _capped(NewFutureActionForm, MAX_NEW_ROWS)
PlannedActionFormSet = _capped(PlannedActionForm, MAX_PLANNED_ROWS, BasePlannedFormSet)


def _row_values(form) -> dict:
    """A row's values as typed (even invalid ones), to fill an unbound form with."""
    return {name: form[name].data for name in form.fields}


class TaskUpdateForm:
    """Every part of the update page, bound and validated together."""

    def __init__(
        self,
        task: KeyTask,
        open_actions: list[FutureAction],
        data=None,
        initial=None,
        refusal="",
        *,
        manages: bool = False,
    ):
        self.task = task
        self.refusal = refusal  # why a post was refused as a whole, shown above the form
        self.open_actions = open_actions
        self.data = data
        self.manages = manages  # the user manages the plan (their "completed" is final)
        by_id = {action.pk: action for action in open_actions}
        initial = initial or self.initial_for(task, open_actions)
        bound = data is not None
        self.details = DetailsForm(
            data, task=task, manages=manages, initial=None if bound else initial["details"]
        )
        self.new_actions = NewActionFormSet(
            data, prefix="new_action", initial=None if bound else initial["new_actions"]
        )
        self.planned = PlannedActionFormSet(
            data,
            prefix="planned",
            initial=None if bound else initial["planned"],
            form_kwargs={"open_actions": by_id},
        )
        self.new_future = NewFutureActionFormSet(
            data, prefix="new_future", initial=None if bound else initial["new_future"]
        )
        self._change = None

    # -- building -----------------------------------------------------------------

    @staticmethod
    def initial_for(task, open_actions) -> dict:
        return {
            "details": {
                "task": task.pk,
                "version": task.version,
                "original_rag": task.rag,
                "rag": task.rag,
            },
            "new_actions": [{}],
            "planned": [
                {
                    "id": action.pk,
                    "original_text": action.text,
                    "original_target_date": action.target_date,
                    "text": action.text,
                    "target_date": action.target_date,
                    "status": OPEN,
                }
                for action in open_actions
            ],
            "new_future": [{}],
        }

    def typed(self) -> dict:
        """What the user typed, part by part (bound forms only)."""
        return {
            "details": _row_values(self.details),
            "new_actions": [_row_values(f) for f in self.new_actions.forms],
            "planned": [_row_values(f) for f in self.planned.forms],
            "new_future": [_row_values(f) for f in self.new_future.forms],
        }

    def carried(self, *, another_action=False, another_future=False) -> "TaskUpdateForm":
        """The same input as a fresh form (no error messages), optionally with one more
        blank row: "Add another" buttons, and "Change" on the preview page."""
        typed = self.typed()
        for part, more in (("new_actions", another_action), ("new_future", another_future)):
            if more and len(typed[part]) < MAX_NEW_ROWS:
                typed[part].append({})
            typed[part] = typed[part] or [{}]
        return TaskUpdateForm(self.task, self.open_actions, initial=typed, manages=self.manages)

    def rebased(self, task, open_actions) -> "TaskUpdateForm":
        """After a conflict: the user's input laid over the task as it is now.

        What the user changed is kept; what they left alone takes the current value
        (so saving does not undo the other person's change). Future actions closed
        meanwhile drop out of the form: the conflict page shows what the user had
        typed for them.
        """
        typed = self.typed()
        details = typed["details"]
        fresh = self.initial_for(task, open_actions)
        rag = fresh["details"]["rag"]
        if details.get("rag") is not None and details.get("rag") != details.get("original_rag"):
            rag = details["rag"]
        fresh["details"].update(rag=rag, reason=details.get("reason") or "")
        posted = {}
        for row in typed["planned"]:
            try:
                posted[int(row.get("id"))] = row
            except (TypeError, ValueError):
                continue
        for row in fresh["planned"]:
            mine = posted.get(row["id"])
            if not mine:
                continue
            if not same_text(mine.get("text"), mine.get("original_text")):
                row["text"] = mine.get("text")
            original_date = mine.get("original_target_date") or ""
            if _date_typed(mine.get("target_date")) != original_date:
                row["target_date"] = mine.get("target_date")
            row["status"] = mine.get("status") or OPEN
            row["drop_reason"] = mine.get("drop_reason") or ""
        fresh["new_actions"] = [r for r in typed["new_actions"] if r.get("text")] or [{}]
        fresh["new_future"] = [
            r for r in typed["new_future"] if r.get("text") or any(r.get("target_date") or [])
        ] or [{}]
        return TaskUpdateForm(task, open_actions, initial=fresh, manages=self.manages)

    # -- reading ------------------------------------------------------------------

    def _posted_number(self, name) -> int | None:
        try:
            return int(self.data.get(name))
        except (AttributeError, TypeError, ValueError):
            return None

    @property
    def posted_version(self) -> int | None:
        return self._posted_number("version")

    @property
    def posted_task_id(self) -> int | None:
        return self._posted_number("task")

    def is_stale(self) -> bool:
        """Posted for this task from an older version of it: a conflict, not an error."""
        version = self.posted_version
        return (
            self.posted_task_id == self.task.pk
            and version is not None
            and version != self.task.version
        )

    def has_too_many_rows(self) -> bool:
        """Posted with more rows than any page offers (a tampered or broken page): refused
        as a whole. Django has built no more than each form set's `absolute_max` rows."""
        return any(
            error.code == "too_many_forms"
            for part in (self.new_actions, self.planned, self.new_future)
            for error in part.non_form_errors().as_data()
        )

    def is_valid(self) -> bool:
        parts = [self.details, self.new_actions, self.planned, self.new_future]
        # Validate every part (no short cut), so that every error shows at once.
        valid = [part.is_valid() for part in parts]
        if not all(valid):
            return False
        if self.change().is_empty(self.task):
            message = (
                "There is nothing to save: add what has been done, change a future action "
                "or change the RAG rating"
            )
            if self.new_actions.forms:
                self.new_actions.forms[0].add_error("text", message)
            else:
                self.details.add_error(None, message)
            return False
        return True

    def change(self) -> TaskChange:
        """The validated input as a `TaskChange` (call after is_valid)."""
        if self._change is None:
            details = self.details.cleaned_data
            change = TaskChange(rag=details.get("rag"), reason=details.get("reason", ""))
            change.new_actions = [
                f.cleaned_data["text"] for f in self.new_actions.forms if f.cleaned_data.get("text")
            ]
            change.new_future_actions = [
                (f.cleaned_data["text"], f.cleaned_data.get("target_date"))
                for f in self.new_future.forms
                if f.cleaned_data.get("text")
            ]
            for form in self.planned.forms:
                status = form.cleaned_data["status"]
                if status == DROPPED:
                    change.dropped_future_actions[form.action.pk] = form.cleaned_data["drop_reason"]
                    continue
                edit = form.edit()
                if edit:
                    change.edited_future_actions[form.action.pk] = edit
                if status == DONE:
                    change.completed_future_actions.append(form.action.pk)
            self._change = change
        return self._change

    # Where errors about the form as a whole (a tampered id, a broken page) are shown.
    FORM_ERRORS_ID = "update-form"

    def form_errors(self) -> list[str]:
        """Errors about no one field: shown at the top of the form."""
        if self.refusal:
            return [self.refusal]
        errors = list(self.details.non_field_errors())
        for name in ("task", "version", "original_rag"):
            errors += self.details[name].errors
        for formset in (self.new_actions, self.planned, self.new_future):
            errors += formset.non_form_errors()
        return errors

    def error_list(self) -> list[dict]:
        """Every error in page order, each linking to its field, for the error summary."""
        errors = [{"href": self.FORM_ERRORS_ID, "text": e} for e in self.form_errors()]
        for form in self.new_actions.forms:
            errors += _field_errors(form, ["text"])
        for index, form in enumerate(self.planned.forms):
            row = f"planned-{index}"
            for name in ("id", "original_text", "original_target_date"):
                errors += [{"href": row, "text": e} for e in form[name].errors]
            errors += [{"href": row, "text": e} for e in form.non_field_errors()]
            errors += _field_errors(form, ["text", "target_date", "status", "drop_reason"])
        for form in self.new_future.forms:
            errors += _field_errors(form, ["text", "target_date"])
        errors += _field_errors(self.details, ["rag", "reason"])
        return errors

    def typed_summary(self, open_ids: set[int]) -> dict:
        """What the user typed, in words, for the conflict page (valid or not)."""
        typed = self.typed()
        details = typed["details"]
        rag = details.get("rag")
        statuses = dict(PlannedActionForm.STATUS_CHOICES)
        planned = []
        for row in typed["planned"]:
            status = row.get("status") or OPEN
            text_changed = not same_text(row.get("text"), row.get("original_text"))
            date_changed = _date_typed(row.get("target_date")) != (
                row.get("original_target_date") or ""
            )
            if status == OPEN and not text_changed and not date_changed:
                continue
            try:
                still_open = int(row.get("id")) in open_ids
            except (TypeError, ValueError):
                still_open = False
            planned.append(
                {
                    "original_text": row.get("original_text") or "",
                    "text": row.get("text") or "",
                    "text_changed": text_changed,
                    "target_date": _date_words(row.get("target_date")) if date_changed else "",
                    "status": statuses.get(status, status),
                    "drop_reason": (row.get("drop_reason") or "") if status == DROPPED else "",
                    "still_open": still_open,
                }
            )
        return {
            "rag_label": self.task.section.plan.rag_label(rag)
            if rag is not None and rag != details.get("original_rag")
            else "",
            "reason": details.get("reason") or "",
            "new_actions": [
                r["text"] for r in typed["new_actions"] if (r.get("text") or "").strip()
            ],
            "new_future": [
                {"text": r.get("text") or "", "target_date": _date_words(r.get("target_date"))}
                for r in typed["new_future"]
                if (r.get("text") or "").strip()
            ],
            "planned": planned,
        }

    def posted_items(self) -> list[tuple[str, str]]:
        """The submitted fields, to carry through the preview page as hidden inputs."""
        return [
            (key, value)
            for key in self.data
            if key not in {"csrfmiddlewaretoken", "action"}
            for value in self.data.getlist(key)
        ]


def _field_errors(form, names) -> list[dict]:
    return [{"href": form[name].auto_id, "text": e} for name in names for e in form[name].errors]


def _date_words(parts) -> str:
    """A typed date as "30 June 2018", or as typed when it is not a date."""
    try:
        value = GovukDateField(required=False).to_python(parts)
    except ValidationError:
        return "/".join(str(part or "") for part in parts)
    return dateformat.format(value, "j F Y") if value else ""


def _date_typed(parts) -> str:
    """The ISO date typed into day, month and year boxes, or "" (even when not a date)."""
    field = GovukDateField(required=False)
    try:
        value = field.to_python(parts)
    except ValidationError:
        return "invalid"
    return value.isoformat() if value else ""
