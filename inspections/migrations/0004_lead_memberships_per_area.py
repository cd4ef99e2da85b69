"""A lead now leads for their agency in one area: each agency-wide lead membership
becomes one membership per area the agency is a partner of (the areas it gave access
to until now), so nobody gains or loses access. A lead membership of an agency that
is no partner anywhere gave access to nothing and is removed."""

from django.db import migrations


def one_lead_membership_per_area(apps, schema_editor):
    Membership = apps.get_model("inspections", "Membership")
    Area = apps.get_model("inspections", "Area")
    for membership in Membership.objects.filter(role="lead", area__isnull=True):
        for area in Area.objects.filter(agencies=membership.agency_id):
            Membership.objects.get_or_create(
                user_id=membership.user_id, role="lead", agency_id=membership.agency_id, area=area
            )
        membership.delete()


def one_lead_membership_per_agency(apps, schema_editor):
    """Back to agency-wide leads: one membership per user and agency."""
    Membership = apps.get_model("inspections", "Membership")
    seen = set()
    for membership in Membership.objects.filter(role="lead").order_by("pk"):
        key = (membership.user_id, membership.agency_id)
        if key in seen:
            membership.delete()
        else:
            seen.add(key)
            membership.area = None
            membership.save(update_fields=["area"])


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_people_invitations_and_role_history")]

    operations = [
        migrations.RunPython(one_lead_membership_per_area, one_lead_membership_per_agency),
    ]
