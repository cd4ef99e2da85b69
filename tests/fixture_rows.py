"""A fixture's rows, read once per test process and written again in bulk.

`loaddata` reads the JSON, looks up every natural key and saves each row and each of its
many-to-many links on its own: several hundred queries for the Stockton plan, which more
than half the tests start from. `FixtureRows.capture` runs the real `loaddata` once (the
caller rolls it back) and keeps the rows it wrote; `write` then puts the same rows back
with one INSERT per table.

The rows are the ones `loaddata` leaves, with the same ids, and nothing is guessed: the
rows the fixture finds already there (the inspectorates a migration seeds) are checked to
be as they were at capture, and anything else (a test that made a clashing row first, a
flushed database that lost some seeded rows) falls back to `loaddata` itself. Unlike
`loaddata`, `write` sends no save signals; the only receivers, the PDF's
(actionplans/exports/prerender.py), ignore a fixture's rows, and its links to findings
only matter where jobs are deferred (tests/test_pdf_prerender.py, which queues its own).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction


def _columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _rows(queryset) -> set[tuple]:
    return set(queryset.values_list(*_columns(queryset.model)))


def _instances(model, rows) -> list:
    columns = _columns(model)
    return [model(**dict(zip(columns, row, strict=True))) for row in rows]


def _by_id(rows) -> list[tuple]:
    return sorted(rows, key=lambda row: row[0])  # the id is the first column


@dataclass
class FixtureRows:
    path: Path
    # By model: rows there before `loaddata` that it left as they were.
    present: dict = field(default_factory=dict)
    # By model, in the order to write them: rows `loaddata` added (its links last).
    added: dict = field(default_factory=dict)

    @classmethod
    def capture(cls, path: Path) -> "FixtureRows":
        """Run `loaddata` on the fixture and keep what it wrote (the caller rolls it back)."""
        rows = cls(path)
        models = rows.models()
        before = {model: _rows(model._base_manager.all()) for model in models}
        call_command("loaddata", str(path), verbosity=0)
        for model in models:
            after = _rows(model._base_manager.all())
            if before[model] - after:
                raise ValueError(f"{path.name} changes rows of {model.__name__}: use loaddata")
            rows.present[model] = before[model] & after
            rows.added[model] = _by_id(after - before[model])
        return rows

    def models(self) -> list:
        """The fixture's models in its own order, then the tables of their links."""
        labels = dict.fromkeys(obj["model"] for obj in json.loads(self.path.read_text()))
        models = [apps.get_model(label) for label in labels]
        links = [
            f.remote_field.through
            for model in models
            for f in model._meta.local_many_to_many
            if f.remote_field.through._meta.auto_created
        ]
        return models + links

    def write(self) -> None:
        """Write the rows as `loaddata` would, or run `loaddata` where that cannot be sure."""
        inserts = dict(self.added)
        for model, rows in self.present.items():
            if not rows:
                continue
            found = _rows(model._base_manager.filter(pk__in=[row[0] for row in rows]))
            if found == rows:
                continue
            if found:  # some there, some changed or gone: loaddata decides
                call_command("loaddata", str(self.path), verbosity=0)
                return
            inserts[model] = _by_id(rows | set(inserts[model]))  # a flushed database
        try:
            with transaction.atomic():
                _insert(inserts)
        except IntegrityError:  # a test made a row the fixture's ids or names clash with
            call_command("loaddata", str(self.path), verbosity=0)


def _insert(inserts: dict) -> None:
    written = []
    for model, rows in inserts.items():
        if not rows:
            continue
        model._base_manager.bulk_create(_instances(model, rows))
        # bulk_create stamps auto_now and auto_now_add fields; loaddata saves raw and keeps
        # the fixture's values (none for the tasks of the plan as first loaded).
        stamped = [
            f.name
            for f in model._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        if stamped:
            model._base_manager.bulk_update(_instances(model, rows), stamped)
        written.append(model)
    # The rows carry their ids: move PostgreSQL's sequences past them, as loaddata does.
    statements = connection.ops.sequence_reset_sql(no_style(), written)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
