"""The Stockton plan written in bulk (tests/fixture_rows.py) is the plan `loaddata` writes."""

from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from actionplans.models import ActionPlan, KeyTask
from inspections.models import Agency

from .conftest import STOCKTON_FIXTURE


def as_loaded(rows):
    """Every row of the fixture's models, with names instead of ids where rows have names
    (an agency's id is whatever the database gave it), links with their rows."""
    return {
        model._meta.label: serializers.serialize(
            "python",
            model._base_manager.order_by("pk"),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        for model in rows.models()
        if not model._meta.auto_created
    }


def test_bulk_written_rows_are_the_rows_loaddata_writes(db, stockton_rows):
    with transaction.atomic():
        stockton_rows.write()
        written = as_loaded(stockton_rows)
        transaction.set_rollback(True)
    call_command("loaddata", str(STOCKTON_FIXTURE), verbosity=0)
    assert as_loaded(stockton_rows) == written
    # Raw, as loaddata saves: the tasks as first loaded have no "added to the plan" time.
    assert KeyTask.objects.filter(created_at__isnull=True).count() == 25


def test_a_row_made_first_that_clashes_leaves_it_to_loaddata(db, stockton_rows):
    durham = Agency.objects.create(name="Durham Constabulary", kind=Agency.Kind.POLICE)
    stockton_rows.write()
    assert Agency.objects.get(pk=durham.pk).name == "Durham Constabulary"
    assert Agency.objects.count() == 11
    assert ActionPlan.objects.get().sections.count() == 5
