import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_lead_memberships_per_area")]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="area",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="inspections.area",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(("agency__isnull", False), ("role", "lead"))
                | models.Q(("agency__isnull", True), ("role__in", ["board", "manager"])),
                name="membership_agency_only_for_leads",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", "lead")),
                fields=("user", "area", "agency"),
                name="membership_unique_lead",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role__in", ["board", "manager"])),
                fields=("user", "area", "role"),
                name="membership_unique_area_role",
            ),
        ),
    ]
