"""Working days as the statutory deadline counts them.

The written statement of action is due 70 working days after the report is
received (Children Act 2004 (Joint Area Reviews) Regulations 2015, reg. 4).
Working days exclude weekends and English bank holidays; the holidays come from
the maintained `holidays` package, not a hand-written list.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

STATUTORY_WORKING_DAYS = 70


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the start day itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when end is earlier."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
