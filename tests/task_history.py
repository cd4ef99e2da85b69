"""Grow a key task's history quickly: tests that pin query counts at two sizes need it."""

from datetime import date

from actionplans.services import TaskChange, record_update


def add_updates(task, user, versions):
    """One saved update per version in `versions` (the version each is made from): a new
    rating with its reason, an action-to-date entry and a future action each time."""
    for version in versions:
        record_update(
            task_id=task.pk,
            user=user,
            expected_version=version,
            change=TaskChange(
                rag=["red", "amber"][version % 2],
                reason=f"Change {version}",
                new_actions=[f"Entry {version}"],
                new_future_actions=[(f"Next step {version}", date(2030, 1, 1))],
            ),
        )
