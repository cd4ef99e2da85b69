from django.db import migrations, models


def tasks_so_far_were_there_from_the_start(apps, schema_editor):
    # AddField fills an auto_now_add column with the time of the migration; tasks that
    # exist already were in the plan before we recorded when tasks were added.
    apps.get_model("actionplans", "KeyTask").objects.update(created_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="keytask",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, null=True, verbose_name="added to the plan"
            ),
        ),
        migrations.RunPython(tasks_so_far_were_there_from_the_start, migrations.RunPython.noop),
    ]
