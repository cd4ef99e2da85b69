"""Shared fixtures: the Stockton demo plan and a few named users.

The users are the people of DOMAIN.md: a police lead and a council lead of the
Stockton partnership, a board member, a plan manager, a lead of an agency of
another area only, and an outsider with no role at all. Hartlepool is a second area
Cleveland Police serves, with its own police lead and plan manager.
"""

from datetime import date
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import transaction

from actionplans.models import ActionPlan, KeyTask, Lead, PlanSection
from inspections.models import Agency, Area, Inspection, Membership
from tests.fixture_rows import FixtureRows

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files the app keeps (the PDF as submitted) go to a folder of each test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def shared_cache():
    """What the shared cache says about plans by id (a PDF marked current, a job's
    progress) belongs to the previous test's rolled-back rows: each test starts without
    it. Rendered PDFs are kept by content in the "exports" cache and stay."""
    caches["shared"].clear()
    yield caches["shared"]


STOCKTON_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stockton_2017_neglect.json"


@pytest.fixture(scope="session")
def stockton_rows(django_db_setup, django_db_blocker):
    """What `loaddata stockton_2017_neglect` writes, read once per test process."""
    with django_db_blocker.unblock(), transaction.atomic():
        rows = FixtureRows.capture(STOCKTON_FIXTURE)
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def stockton(db, stockton_rows):
    """The Stockton-on-Tees plan from the fixture, as the seed document has it (the rows
    `loaddata` wrote, written again in bulk: tests/fixture_rows.py)."""
    stockton_rows.write()
    return ActionPlan.objects.select_related("inspection__area").get(
        inspection__area__name="Stockton-on-Tees"
    )


@pytest.fixture
def make_user(db, django_user_model):
    def make(username, role=None, *, agency=None, area=None, **extra):
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, first_name=username.split(".")[0].title(), **extra
        )
        if role:
            Membership.objects.create(user=user, role=role, agency=agency, area=area)
        return user

    return make


@pytest.fixture
def police_lead(stockton, make_user):
    """Leads for Cleveland Police in Stockton only (the force serves Hartlepool too)."""
    police = Agency.objects.get(name="Cleveland Police")
    return make_user("police.lead", "lead", agency=police, area=stockton.inspection.area)


@pytest.fixture
def council_lead(stockton, make_user):
    agency = Agency.objects.get(name="Stockton-on-Tees Borough Council")
    return make_user("council.lead", "lead", agency=agency, area=stockton.inspection.area)


@pytest.fixture
def board_member(stockton, make_user):
    return make_user("board.member", "board", area=stockton.inspection.area)


@pytest.fixture
def plan_manager(stockton, make_user):
    return make_user("plan.manager", "manager", area=stockton.inspection.area)


@pytest.fixture
def other_area(db):
    """Another partnership with an agency that is not a Stockton partner."""
    agency = Agency.objects.create(name="Durham Constabulary", kind=Agency.Kind.POLICE)
    area = Area.objects.create(name="Durham", partnership_name="Durham Safeguarding Children")
    area.agencies.add(agency)
    return area


@pytest.fixture
def other_area_lead(other_area, make_user):
    return make_user("durham.lead", "lead", agency=other_area.agencies.get(), area=other_area)


@pytest.fixture
def other_board_member(other_area, make_user):
    return make_user("durham.board", "board", area=other_area)


@pytest.fixture
def hartlepool_plan(stockton):
    """A second area that Cleveland Police also serves (DOMAIN.md), with a police task."""
    police = Agency.objects.get(name="Cleveland Police")
    council = Agency.objects.create(name="Hartlepool Borough Council", kind=Agency.Kind.COUNCIL)
    area = Area.objects.create(name="Hartlepool", partnership_name="Hartlepool Safeguarding")
    area.agencies.add(police, council)
    inspection = Inspection.objects.create(
        area=area,
        fieldwork_start=date(2018, 3, 5),
        fieldwork_end=date(2018, 3, 9),
        letter_published=date(2018, 5, 1),
        report_received=date(2018, 5, 1),
    )
    plan = ActionPlan.objects.create(inspection=inspection, title="Hartlepool action plan")
    section = PlanSection.objects.create(plan=plan, position=1, title="Actions for the police")
    task = KeyTask.objects.create(
        section=section, position=1, description="Hartlepool: review missing-from-home returns"
    )
    Lead.objects.create(task=task, name="Cleveland Police").agencies.add(police)
    return plan


@pytest.fixture
def hartlepool_police_lead(hartlepool_plan, make_user):
    """Leads for Cleveland Police in Hartlepool only."""
    police = Agency.objects.get(name="Cleveland Police")
    return make_user(
        "hartlepool.police", "lead", agency=police, area=hartlepool_plan.inspection.area
    )


@pytest.fixture
def hartlepool_manager(hartlepool_plan, make_user):
    return make_user("hartlepool.manager", "manager", area=hartlepool_plan.inspection.area)


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)


# Benchmarks are scripts run by `make bench`, not tests.
collect_ignore = ["benchmarks"]
