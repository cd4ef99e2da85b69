"""A plan's whole life in the app, under the same door and history as a lead's update.

- `drafting`: start a plan from an inspection, blank or drafted from its findings;
- `services`: every structural change (details, sections, key tasks, their leads and
  findings; withdraw rather than delete once a task has history), each in one
  transaction with its `PlanChange` row, under the plan's optimistic lock;
- `lifecycle`: draft -> agreed by the board -> submitted (the PDF as sent kept
  unchangeable with its SHA-256) -> closed;
- `forms` and `views`: the plan manager's pages (GOV.UK patterns, no JavaScript needed).
"""
