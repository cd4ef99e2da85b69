"""Reminders before each board meeting, overdue notices and statement deadline reminders.

`models` records what was sent (never the same reminder twice) and what each person
chose to receive; `recipients` says who is told about what; `sending.send_reminders`
works out and sends today's emails (run by `manage.py send_reminders`, by cron or by
the worker's scheduled job in `actionplans.jobs`); `views` is each person's page of
email choices.
"""
