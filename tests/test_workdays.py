"""The statutory deadline: 70 working days, without weekends and English bank holidays."""

from datetime import date

import pytest

from inspections.models import Area, Inspection
from inspections.workdays import add_working_days, is_working_day, working_days_between


def test_weekend_is_not_a_working_day():
    assert not is_working_day(date(2018, 1, 20))  # Saturday
    assert not is_working_day(date(2018, 1, 21))  # Sunday
    assert is_working_day(date(2018, 1, 22))


def test_english_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2018, 3, 30))  # Good Friday
    assert not is_working_day(date(2018, 4, 2))  # Easter Monday
    assert not is_working_day(date(2018, 5, 7))  # Early May bank holiday
    # St Andrew's Day is a holiday in Scotland, not England.
    assert is_working_day(date(2018, 11, 30))


def test_adding_working_days_skips_a_weekend():
    assert add_working_days(date(2018, 1, 19), 1) == date(2018, 1, 22)  # Fri -> Mon


def test_adding_working_days_skips_easter():
    # Thursday 29 March 2018 + 1 working day jumps Good Friday, the weekend and Easter Monday.
    assert add_working_days(date(2018, 3, 29), 1) == date(2018, 4, 3)


def test_stockton_70_working_days():
    # 15 Jan 2018 + 70 working days, less Good Friday and Easter Monday.
    assert add_working_days(date(2018, 1, 15), 70) == date(2018, 4, 25)


def test_working_days_between_counts_both_ways():
    assert working_days_between(date(2018, 3, 29), date(2018, 4, 3)) == 1
    assert working_days_between(date(2018, 4, 3), date(2018, 3, 29)) == -1


@pytest.mark.django_db
def test_stated_due_date_wins_over_computed():
    area = Area.objects.create(name="Testshire", partnership_name="Testshire SCP")
    inspection = Inspection.objects.create(
        area=area,
        fieldwork_start=date(2017, 11, 20),
        fieldwork_end=date(2017, 11, 24),
        letter_published=date(2018, 1, 15),
        report_received=date(2018, 1, 15),
    )
    assert inspection.statement_due == date(2018, 4, 25)
    assert not inspection.statement_due_is_stated
    inspection.statement_due_stated = date(2018, 4, 18)
    assert inspection.statement_due == date(2018, 4, 18)
    assert inspection.statement_due_is_stated
    assert inspection.working_days_remaining(today=date(2018, 4, 16)) == 2
