"""Shared fixtures: the Stockton demo plan and a few named users.

The users are the people of DOMAIN.md: a police lead and a council lead of the
Stockton partnership, a board member, a plan manager, a lead of an agency of
another area only, and an outsider with no role at all. Hartlepool is a second area
Cleveland Police serves, with its own police lead and plan manager.
"""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
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


def create_user(username, role=None, *, agency=None, area=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=username.split(".")[0].title(), **extra
    )
    if role:
        Membership.objects.create(user=user, role=role, agency=agency, area=area)
    return user


@pytest.fixture
def make_user(db):
    return create_user


# The named people, as functions (the fixtures below call them; tests/test_permissions.py
# makes them all once for its module): (username, role, agency, area), by name.
NAMED_PEOPLE = {
    # Leads for Cleveland Police in Stockton only (the force serves Hartlepool too).
    "police_lead": ("police.lead", "lead", "Cleveland Police", "Stockton-on-Tees"),
    "council_lead": (
        "council.lead",
        "lead",
        "Stockton-on-Tees Borough Council",
        "Stockton-on-Tees",
    ),
    "board_member": ("board.member", "board", None, "Stockton-on-Tees"),
    "plan_manager": ("plan.manager", "manager", None, "Stockton-on-Tees"),
    "other_area_lead": ("durham.lead", "lead", "Durham Constabulary", "Durham"),
    "other_board_member": ("durham.board", "board", None, "Durham"),
    # Leads for Cleveland Police in Hartlepool only.
    "hartlepool_police_lead": ("hartlepool.police", "lead", "Cleveland Police", "Hartlepool"),
    "hartlepool_manager": ("hartlepool.manager", "manager", None, "Hartlepool"),
}


def create_named_person(name):
    """One of NAMED_PEOPLE, in an area (and of an agency) that must exist already."""
    username, role, agency, area = NAMED_PEOPLE[name]
    return create_user(
        username,
        role,
        agency=Agency.objects.get(name=agency) if agency else None,
        area=Area.objects.get(name=area),
    )


def create_superuser():
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


@pytest.fixture
def police_lead(stockton):
    return create_named_person("police_lead")


@pytest.fixture
def council_lead(stockton):
    return create_named_person("council_lead")


@pytest.fixture
def board_member(stockton):
    return create_named_person("board_member")


@pytest.fixture
def plan_manager(stockton):
    return create_named_person("plan_manager")


def create_other_area():
    """Another partnership with an agency that is not a Stockton partner."""
    agency = Agency.objects.create(name="Durham Constabulary", kind=Agency.Kind.POLICE)
    area = Area.objects.create(name="Durham", partnership_name="Durham Safeguarding Children")
    area.agencies.add(agency)
    return area


@pytest.fixture
def other_area(db):
    return create_other_area()


@pytest.fixture
def other_area_lead(other_area):
    return create_named_person("other_area_lead")


@pytest.fixture
def other_board_member(other_area):
    return create_named_person("other_board_member")


def create_hartlepool_plan():
    """A second area that Cleveland Police also serves (DOMAIN.md), with a police task
    (after the Stockton plan, whose agencies it shares)."""
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
def hartlepool_plan(stockton):
    return create_hartlepool_plan()


@pytest.fixture
def hartlepool_police_lead(hartlepool_plan):
    return create_named_person("hartlepool_police_lead")


@pytest.fixture
def hartlepool_manager(hartlepool_plan):
    return create_named_person("hartlepool_manager")


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


@pytest.fixture
def superuser(db):
    return create_superuser()


# Benchmarks are scripts run by `make bench`, not tests.
collect_ignore = ["benchmarks"]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` (pyproject.toml's addopts) as tests/scheduling.py does it."""
    if config.getvalue("dist") == "loadgroup":
        from tests.scheduling import LongestFirstScheduling

        return LongestFirstScheduling(config, log)
    return None
