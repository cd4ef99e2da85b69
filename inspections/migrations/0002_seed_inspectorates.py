from django.db import migrations

INSPECTORATES = [
    ("Ofsted", "Office for Standards in Education, Children's Services and Skills"),
    ("CQC", "Care Quality Commission"),
    ("HMICFRS", "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services"),
    ("HMIP", "His Majesty's Inspectorate of Probation"),
]


def seed(apps, schema_editor):
    Inspectorate = apps.get_model("inspections", "Inspectorate")
    for code, name in INSPECTORATES:
        Inspectorate.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
