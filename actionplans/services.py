"""Workflows that change a key task. Each writes its history row in the same transaction.

A save is one `TaskUpdate`: the fields that changed (old -> new), the entries added,
completed, edited or dropped, the reason, who and when. A save made from an old
version of the task is refused with `StaleVersion`, so two people editing at once
never overwrite each other silently.

`record_update` is the only code that writes a task's progress. `preview_update` shows
what a save would produce without writing anything; both describe the change with
`TaskChange.describe`, so the preview and the history record cannot drift apart.

Completion, and the fourth colour. A lead's "completed" (green) is a proposal that a
plan manager confirms (`_completion_step`). Blue, for the plans that use it, is
"completed and embedded": the step after a confirmed completion, so a lead may choose
it only for a task already rated green, and needs no second confirmation; a plan
manager, whose choice is the confirmation, may rate any task blue (`blue_refusal`).
Green and blue both count as complete (`models.COMPLETE`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from inspections import clock
from inspections.models import Membership

from .models import (
    COMPLETE,
    ActionEntry,
    ActionPlan,
    FutureAction,
    KeyTask,
    Lead,
    Rag,
    TaskUpdate,
)


class StaleVersion(Exception):
    """The task changed since the user opened it."""

    def __init__(self, task: KeyTask):
        super().__init__(f"Task {task.pk} is at version {task.version}")
        self.current = task


class NotAnOpenFutureAction(ValueError):
    """A change names a future action that is not an open future action of the task."""


class RatingNotOffered(ValueError):
    """A rating the plan does not offer, or not to this user for this task now."""


def blue_refusal(*, plan: ActionPlan, from_rag: str, manages: bool) -> str:
    """Why a task rated `from_rag` cannot be moved to blue ("" when it can).

    Blue ("completed and embedded") goes beyond a completion a plan manager has
    confirmed: a lead moves a task to blue only from green (or keeps it blue); a plan
    manager may rate any task blue, their choice being the confirmation, as it is for
    green. The update form offers blue by the same rule, so this refusal is only met by
    a page left open while the task changed, or by code.
    """
    if not plan.rag_blue_enabled:
        return "This plan has no fourth colour: a key task of it cannot be rated blue."
    if manages or from_rag in COMPLETE:
        return ""
    return (
        f"“{plan.rag_blue_label}” can only follow “{plan.rag_green_label}”: choose "
        f"“{plan.rag_green_label}” first; once a plan manager confirms it, the key task "
        f"can move on to “{plan.rag_blue_label}”."
    )


@dataclass
class TaskChange:
    """What one save asks for. Empty lists and None mean "leave as it is"."""

    rag: str | None = None
    reason: str = ""
    new_actions: list[str] = field(default_factory=list)
    new_future_actions: list[tuple[str, date | None]] = field(default_factory=list)
    # future action id -> (text, target date)
    edited_future_actions: dict[int, tuple[str, date | None]] = field(default_factory=dict)
    completed_future_actions: list[int] = field(default_factory=list)
    # future action id -> reason
    dropped_future_actions: dict[int, str] = field(default_factory=dict)

    def is_empty(self, task: KeyTask) -> bool:
        return (
            (self.rag is None or self.rag == task.rag)
            and not self.new_actions
            and not self.new_future_actions
            and not self.edited_future_actions
            and not self.completed_future_actions
            and not self.dropped_future_actions
        )

    @property
    def future_action_ids(self) -> set[int]:
        return {
            *self.edited_future_actions,
            *self.completed_future_actions,
            *self.dropped_future_actions,
        }

    def text_of(self, action: FutureAction) -> str:
        """The future action's text once this change's edit (if any) is applied."""
        return self.edited_future_actions.get(action.pk, (action.text,))[0]

    def describe(self, task: KeyTask, future_actions: dict[int, FutureAction]) -> dict:
        """The history record of this change (`TaskUpdate.changes`); writes nothing.

        `future_actions` maps id -> the task's future action, for every id the change names.
        Edits that change nothing are left out, so the record only says what happened.
        """
        changes: dict = {}
        if self.rag is not None and self.rag != task.rag:
            changes["rag"] = [task.rag, self.rag]
        for pk, (text, target) in self.edited_future_actions.items():
            action = future_actions[pk]
            before = {"text": action.text, "target_date": _date(action.target_date)}
            after = {"text": text, "target_date": _date(target)}
            if before != after:
                changes.setdefault("future_actions_edited", []).append(
                    {"id": pk, "from": before, "to": after}
                )
        for pk in self.completed_future_actions:
            changes.setdefault("future_actions_done", []).append(
                {"id": pk, "text": self.text_of(future_actions[pk])}
            )
        for pk, reason in self.dropped_future_actions.items():
            changes.setdefault("future_actions_dropped", []).append(
                {"id": pk, "text": self.text_of(future_actions[pk]), "reason": reason}
            )
        if self.new_actions:
            changes["action_to_date_added"] = list(self.new_actions)
        for text, target in self.new_future_actions:
            changes.setdefault("future_actions_added", []).append(
                {"id": None, "text": text, "target_date": _date(target)}
            )
        return changes


def _agency_name(user, task: KeyTask) -> str:
    """The agency the user acted for: of their lead roles in the task's area, the one
    whose agency leads the task, if any."""
    membership = (
        Membership.objects.filter(
            user=user, role=Membership.Role.LEAD, area__inspections__plans__sections__tasks=task
        )
        .annotate(
            leads_task=Exists(Lead.objects.filter(task_id=task.pk, agencies=OuterRef("agency")))
        )
        .select_related("agency")
        .order_by("-leads_task", "agency__name")
        .first()
    )
    if membership:
        return membership.agency.name
    return ""


def _date(value):
    return value.isoformat() if value else None


def _today(at: datetime) -> date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def _open_future_actions(task: KeyTask, ids) -> dict[int, FutureAction]:
    actions = {
        action.pk: action
        for action in task.future_actions.filter(pk__in=ids, status=FutureAction.Status.OPEN)
    }
    missing = set(ids) - set(actions)
    if missing:
        raise NotAnOpenFutureAction(
            f"Future actions {sorted(missing)} are not open future actions of task {task.pk}"
        )
    return actions


def record_update(
    *,
    task_id: int,
    user,
    expected_version: int,
    change: TaskChange,
    at: datetime | None = None,
) -> TaskUpdate:
    """Apply `change` to the task and append its history row, all or nothing.

    The task row is locked (SELECT ... FOR UPDATE on PostgreSQL) and its version
    compared with the one the user's form was built from.
    """
    at = at or clock.now()
    today = _today(at)
    if change.rag is not None and change.rag not in Rag.values:
        raise ValueError(f"Unknown RAG value {change.rag!r}")
    with transaction.atomic():
        task = _locked(task_id, expected_version)
        future = _open_future_actions(task, change.future_action_ids)
        changes = change.describe(task, future)
        rag_from = task.rag
        if changes.get("rag", [None, None])[1] == Rag.BLUE:
            plan = ActionPlan.objects.get(sections__tasks=task.pk)
            refusal = blue_refusal(plan=plan, from_rag=rag_from, manages=_manages_task(user, task))
            if refusal:
                raise RatingNotOffered(refusal)
        if "rag" in changes:
            task.rag = change.rag

        next_entry = (task.action_to_date.aggregate(m=Max("position"))["m"] or 0) + 1
        next_future = (task.future_actions.aggregate(m=Max("position"))["m"] or 0) + 1

        for pk, (text, target) in change.edited_future_actions.items():
            action = future[pk]
            if (action.text, action.target_date) != (text, target):
                action.text, action.target_date = text, target
                action.save(update_fields=["text", "target_date"])
        for pk in change.completed_future_actions:
            action = future[pk]
            action.status, action.closed_on = FutureAction.Status.DONE, today
            action.save(update_fields=["status", "closed_on"])
            ActionEntry.objects.create(
                task=task,
                position=next_entry,
                text=action.text,
                added_on=today,
                added_by=user,
                from_future_action=action,
            )
            next_entry += 1
        for pk, reason in change.dropped_future_actions.items():
            action = future[pk]
            action.status, action.closed_on = FutureAction.Status.DROPPED, today
            action.drop_reason = reason
            action.save(update_fields=["status", "closed_on", "drop_reason"])
        for text in change.new_actions:
            ActionEntry.objects.create(
                task=task, position=next_entry, text=text, added_on=today, added_by=user
            )
            next_entry += 1
        for record, (text, target) in zip(
            changes.get("future_actions_added", []), change.new_future_actions, strict=True
        ):
            action = FutureAction.objects.create(
                task=task, position=next_future, text=text, target_date=target
            )
            record["id"] = action.pk
            next_future += 1

        _completion_step(task, user, changes, at)
        return _write_history(
            task, user=user, at=at, changes=changes, reason=change.reason, rag_from=rag_from
        )


def _completion_step(task, user, changes, at):
    """A lead choosing the completed rating (green) proposes it: the rating stays as it
    was and the task awaits a plan manager's confirmation. A plan manager's choice is
    the confirmation. Choosing another rating while a proposal waits takes it back; a
    plan manager's blue confirms it (blue is complete too).

    Blue to green is no proposal: the completion was confirmed on the way to blue.
    """
    rag = changes.get("rag")
    if rag and rag[1] == Rag.GREEN and rag[0] != Rag.BLUE and not _manages_task(user, task):
        task.rag = rag[0]
        del changes["rag"]
        if not task.awaiting_confirmation:
            task.awaiting_confirmation_since, task.completion_proposed_by = at, user
            changes["completion"] = "proposed"
    elif task.awaiting_confirmation and (rag or task.rag == Rag.GREEN):
        task.awaiting_confirmation_since = task.completion_proposed_by = None
        changes["completion"] = "confirmed" if task.rag in COMPLETE else "taken back"


def _manages_task(user, task) -> bool:
    return (
        user.is_superuser
        or ActionPlan.objects.managed_by(user).filter(sections__tasks=task.pk).exists()
    )


def _write_history(task, *, user, at, changes, reason, rag_from) -> TaskUpdate:
    """Save the locked task one version on and append the history row of the change.

    The row is locked and was at the expected version: nobody else can have moved it.
    """
    task.version += 1
    task.updated_at = at
    task.updated_by = user
    task.save(
        update_fields=[
            "rag",
            "version",
            "updated_at",
            "updated_by",
            "awaiting_confirmation_since",
            "completion_proposed_by",
        ]
    )
    return TaskUpdate.objects.create(
        task=task,
        created_at=at,
        user=user,
        user_name=user.get_full_name() or user.get_username(),
        agency_name=_agency_name(user, task),
        reason=reason,
        changes=changes,
        rag_from=rag_from,
        rag_to=task.rag,
        version=task.version,
    )


class NotAwaitingConfirmation(ValueError):
    """A confirmation or return of a task whose completion nobody has proposed."""


def _locked(task_id, expected_version) -> KeyTask:
    task = KeyTask.objects.select_for_update().get(pk=task_id)
    if task.version != expected_version:
        raise StaleVersion(task)
    return task


def confirm_completion(*, task_id, user, expected_version, reason="", at=None) -> TaskUpdate:
    """A plan manager confirms a proposed completion: the task is rated completed."""
    at = at or clock.now()
    with transaction.atomic():
        task = _locked(task_id, expected_version)
        if not task.awaiting_confirmation:
            raise NotAwaitingConfirmation(f"Task {task_id} awaits no confirmation")
        rag_from = task.rag
        changes = {"completion": "confirmed"}
        if rag_from != Rag.GREEN:
            changes["rag"] = [rag_from, Rag.GREEN]
        task.rag = Rag.GREEN
        task.awaiting_confirmation_since = task.completion_proposed_by = None
        return _write_history(
            task, user=user, at=at, changes=changes, reason=reason, rag_from=rag_from
        )


def return_completion(*, task_id, user, expected_version, reason, at=None) -> TaskUpdate:
    """A plan manager returns a proposed completion to its lead, saying why; the rating
    stays as it was."""
    if not reason.strip():
        raise ValueError("A returned completion needs its reason")
    at = at or clock.now()
    with transaction.atomic():
        task = _locked(task_id, expected_version)
        if not task.awaiting_confirmation:
            raise NotAwaitingConfirmation(f"Task {task_id} awaits no confirmation")
        task.awaiting_confirmation_since = task.completion_proposed_by = None
        return _write_history(
            task,
            user=user,
            at=at,
            changes={"completion": "returned"},
            reason=reason,
            rag_from=task.rag,
        )


def record_evidence(task_id, *, user, evidence, at) -> TaskUpdate:
    """Append "evidence added" to the task's history (inside the caller's transaction)."""
    task = KeyTask.objects.select_for_update().get(pk=task_id)
    return _write_history(
        task,
        user=user,
        at=at,
        changes={"evidence_added": {"id": evidence.pk, "name": evidence.name}},
        reason=evidence.note,
        rag_from=task.rag,
    )


class _Rows(list):
    """A list that answers `.all()`, so a preview renders with the plan's own row template."""

    def all(self):
        return self


@dataclass
class TaskPreview:
    """A key task as it will read once a change is saved: what the board will see."""

    task: KeyTask
    rag: str
    action_to_date: _Rows
    open_future_actions: list
    changes: dict

    def __getattr__(self, name):
        # Everything the change does not touch (description, leads, measures) as it is now.
        return getattr(self.task, name)

    @property
    def rag_label(self) -> str:
        return self.task.section.plan.rag_label(self.rag)


def preview_update(
    task: KeyTask, change: TaskChange, open_actions: list[FutureAction], *, today: date
) -> TaskPreview:
    """What `record_update` would make of the task, computed without writing anything.

    `task` should come with its action to date prefetched (`KeyTask.objects.for_display()`);
    `open_actions` are its open future actions in plan order.
    """
    by_id = {action.pk: action for action in open_actions}
    unknown = change.future_action_ids - set(by_id)
    if unknown:
        raise NotAnOpenFutureAction(f"Future actions {sorted(unknown)} are not open")
    entries = _Rows(task.action_to_date.all())
    for pk in change.completed_future_actions:
        entries.append(ActionEntry(task=task, text=change.text_of(by_id[pk]), added_on=today))
    entries.extend(ActionEntry(task=task, text=text, added_on=today) for text in change.new_actions)
    closing = {*change.completed_future_actions, *change.dropped_future_actions}
    future = []
    for action in open_actions:
        if action.pk in closing:
            continue
        text, target = change.edited_future_actions.get(
            action.pk, (action.text, action.target_date)
        )
        future.append(FutureAction(pk=action.pk, task=task, text=text, target_date=target))
    future.extend(
        FutureAction(task=task, text=text, target_date=target)
        for text, target in change.new_future_actions
    )
    rag = task.rag if change.rag is None else change.rag
    return TaskPreview(
        task=task,
        rag=rag,
        action_to_date=entries,
        open_future_actions=future,
        changes=change.describe(task, by_id),
    )
