"""Workflows that change a key task. Each writes its history row in the same transaction.

A save is one `TaskUpdate`: the fields that changed (old -> new), the entries added,
completed, edited or dropped, the reason, who and when. A save made from an old
version of the task is refused with `StaleVersion`, so two people editing at once
never overwrite each other silently.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from inspections.models import Membership

from .models import ActionEntry, FutureAction, KeyTask, Rag, TaskUpdate


class StaleVersion(Exception):
    """The task changed since the user opened it."""

    def __init__(self, task: KeyTask):
        super().__init__(f"Task {task.pk} is at version {task.version}")
        self.current = task


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


def _agency_name(user) -> str:
    membership = (
        Membership.objects.filter(user=user, role=Membership.Role.LEAD)
        .select_related("agency")
        .first()
    )
    if membership:
        return membership.agency.name
    return ""


def _date(value):
    return value.isoformat() if value else None


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
    at = at or timezone.now()
    today = timezone.localdate(at) if timezone.is_aware(at) else at.date()
    if change.rag is not None and change.rag not in Rag.values:
        raise ValueError(f"Unknown RAG value {change.rag!r}")
    with transaction.atomic():
        task = KeyTask.objects.select_for_update().get(pk=task_id)
        if task.version != expected_version:
            raise StaleVersion(task)
        changes: dict = {}
        rag_from = task.rag
        if change.rag is not None and change.rag != task.rag:
            changes["rag"] = [task.rag, change.rag]
            task.rag = change.rag

        next_entry = (task.action_to_date.aggregate(m=Max("position"))["m"] or 0) + 1
        next_future = (task.future_actions.aggregate(m=Max("position"))["m"] or 0) + 1

        future = {
            fa.pk: fa
            for fa in task.future_actions.filter(
                pk__in=[
                    *change.edited_future_actions,
                    *change.completed_future_actions,
                    *change.dropped_future_actions,
                ]
            )
        }
        for pk, (text, target) in change.edited_future_actions.items():
            fa = future[pk]
            before = {"text": fa.text, "target_date": _date(fa.target_date)}
            fa.text, fa.target_date = text, target
            after = {"text": fa.text, "target_date": _date(fa.target_date)}
            if before != after:
                fa.save(update_fields=["text", "target_date"])
                changes.setdefault("future_actions_edited", []).append(
                    {"id": pk, "from": before, "to": after}
                )
        for pk in change.completed_future_actions:
            fa = future[pk]
            fa.status, fa.closed_on = FutureAction.Status.DONE, today
            fa.save(update_fields=["status", "closed_on"])
            ActionEntry.objects.create(
                task=task,
                position=next_entry,
                text=fa.text,
                added_on=today,
                added_by=user,
                from_future_action=fa,
            )
            next_entry += 1
            changes.setdefault("future_actions_done", []).append({"id": pk, "text": fa.text})
        for pk, reason in change.dropped_future_actions.items():
            fa = future[pk]
            fa.status, fa.closed_on, fa.drop_reason = FutureAction.Status.DROPPED, today, reason
            fa.save(update_fields=["status", "closed_on", "drop_reason"])
            changes.setdefault("future_actions_dropped", []).append(
                {"id": pk, "text": fa.text, "reason": reason}
            )
        for text in change.new_actions:
            ActionEntry.objects.create(
                task=task, position=next_entry, text=text, added_on=today, added_by=user
            )
            next_entry += 1
            changes.setdefault("action_to_date_added", []).append(text)
        for text, target in change.new_future_actions:
            fa = FutureAction.objects.create(
                task=task, position=next_future, text=text, target_date=target
            )
            next_future += 1
            changes.setdefault("future_actions_added", []).append(
                {"id": fa.pk, "text": text, "target_date": _date(target)}
            )

        task.version = F("version") + 1
        task.updated_at = at
        task.updated_by = user
        task.save(update_fields=["rag", "version", "updated_at", "updated_by"])
        task.refresh_from_db(fields=["version"])
        return TaskUpdate.objects.create(
            task=task,
            created_at=at,
            user=user,
            user_name=user.get_full_name() or user.get_username(),
            agency_name=_agency_name(user),
            reason=change.reason,
            changes=changes,
            rag_from=rag_from,
            rag_to=task.rag,
            version=task.version,
        )
