"""The migration to leads per area: an agency-wide lead becomes one lead membership per
partner area of the agency, so nobody gains or loses access; and it reverses."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("inspections", "0003_people_invitations_and_role_history")]
AFTER = [("inspections", "0005_membership_lead_needs_area")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_agency_wide_leads_become_one_lead_membership_per_partner_area(django_user_model):
    apps = migrate(BEFORE)
    Agency = apps.get_model("inspections", "Agency")
    Area = apps.get_model("inspections", "Area")
    Membership = apps.get_model("inspections", "Membership")
    User = apps.get_model("auth", "User")
    police = Agency.objects.create(name="Cleveland Police", kind="police")
    lonely = Agency.objects.create(name="A partner of nowhere", kind="other")
    areas = []
    for name in ("Stockton-on-Tees", "Hartlepool", "Middlesbrough"):
        area = Area.objects.create(name=name, partnership_name=f"{name} LSCB")
        area.agencies.add(police)
        areas.append(area)
    Area.objects.create(name="Durham", partnership_name="Durham LSCB")
    pat = User.objects.create(username="pat")
    Membership.objects.create(user=pat, role="lead", agency=police)
    Membership.objects.create(user=pat, role="board", area=areas[0])
    Membership.objects.create(user=pat, role="lead", agency=lonely)

    apps = migrate(AFTER)
    Membership = apps.get_model("inspections", "Membership")
    leads = Membership.objects.filter(user__username="pat", role="lead")
    assert sorted(leads.values_list("agency__name", "area__name")) == [
        ("Cleveland Police", "Hartlepool"),
        ("Cleveland Police", "Middlesbrough"),
        ("Cleveland Police", "Stockton-on-Tees"),
    ]
    assert Membership.objects.filter(user__username="pat", role="board").count() == 1

    apps = migrate(BEFORE)
    Membership = apps.get_model("inspections", "Membership")
    leads = Membership.objects.filter(user__username="pat", role="lead")
    assert list(leads.values_list("agency__name", "area")) == [("Cleveland Police", None)]
    migrate(AFTER)
