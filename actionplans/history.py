"""A task's history as people read it: `TaskUpdate.changes` turned into plain sentences.

The same reading serves the task page (every saved update), the preview (the update
about to be saved) and the conflict page (what someone else saved meanwhile), so the
board reads one change the same way wherever it appears.
"""

from dataclasses import dataclass, field
from datetime import date


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class FutureActionChange:
    text: str
    target_date: date | None = None
    reason: str = ""
    # For an edit: what it said before.
    old_text: str = ""
    old_target_date: date | None = None

    @property
    def text_changed(self) -> bool:
        return self.old_text != self.text


@dataclass
class ChangeSummary:
    """One update's changes, ready for `actionplans/_change_summary.html`."""

    rag_changed: bool = False
    rag_from: str = ""
    rag_to: str = ""
    rag_from_label: str = ""
    rag_to_label: str = ""
    actions_added: list[str] = field(default_factory=list)
    done: list[FutureActionChange] = field(default_factory=list)
    dropped: list[FutureActionChange] = field(default_factory=list)
    added: list[FutureActionChange] = field(default_factory=list)
    edited: list[FutureActionChange] = field(default_factory=list)
    # Confirmed completion: "proposed", "confirmed", "returned" or "taken back".
    completion: str = ""
    evidence_added: str = ""  # the name of the file or link attached

    @classmethod
    def from_changes(cls, changes: dict, plan) -> "ChangeSummary":
        summary = cls()
        if "rag" in changes:
            old, new = changes["rag"]
            summary.rag_changed = True
            summary.rag_from, summary.rag_to = old, new
            summary.rag_from_label, summary.rag_to_label = plan.rag_label(old), plan.rag_label(new)
        summary.completion = changes.get("completion", "")
        summary.evidence_added = changes.get("evidence_added", {}).get("name", "")
        summary.actions_added = list(changes.get("action_to_date_added", []))
        summary.done = [
            FutureActionChange(text=c["text"]) for c in changes.get("future_actions_done", [])
        ]
        summary.dropped = [
            FutureActionChange(text=c["text"], reason=c.get("reason", ""))
            for c in changes.get("future_actions_dropped", [])
        ]
        summary.added = [
            FutureActionChange(text=c["text"], target_date=_day(c.get("target_date")))
            for c in changes.get("future_actions_added", [])
        ]
        summary.edited = [
            FutureActionChange(
                text=c["to"]["text"],
                target_date=_day(c["to"]["target_date"]),
                old_text=c["from"]["text"],
                old_target_date=_day(c["from"]["target_date"]),
            )
            for c in changes.get("future_actions_edited", [])
        ]
        return summary

    @property
    def is_empty(self) -> bool:
        return not (
            self.rag_changed
            or self.completion
            or self.evidence_added
            or self.actions_added
            or self.done
            or self.dropped
            or self.added
            or self.edited
        )


@dataclass
class HistoryEntry:
    update: object  # a TaskUpdate
    summary: ChangeSummary


def history_entries(updates, plan) -> list[HistoryEntry]:
    """Saved updates (newest first, as given) with their changes in words."""
    return [
        HistoryEntry(update, ChangeSummary.from_changes(update.changes, plan)) for update in updates
    ]
