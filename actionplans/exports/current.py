"""Which of a plan's PDFs is current, known without reading the plan's rows.

The truth is the content version (`document.content_version`): a digest of every row
the PDF shows, a dozen queries that read the whole plan. "Export PDF" skips them when it
can. Whoever works out a plan's content key for today and finds or renders that PDF
(the render job, the export itself, `pdf.render_plan_pdf`) leaves a **mark** in the
shared cache: that key, the day and the layout it is for, and the plan's **change
stamp** as it was read *before* the rows were. Every commit that changes something the
PDF shows gives the plan a new stamp (prerender.py notes them). The export reads the
mark and the stamp in one cache call and serves the marked key's PDF while the stamps
agree, the day is today and the layout is this code's.

Why the stamp and not just deleting the mark on a change: a render that read the rows
before a change committed may finish after it and set its mark; the mark then carries
the stamp from before the change, which no longer agrees. A stamp is a fresh random
token, never a counter, so a stamp that expired and was made again never matches an
old mark.

Changes the app cannot see (SQL typed by an operator, `loaddata`, a data migration)
make no new stamp: a mark lasts EXPORT_CURRENT_SECONDS, so such a change reaches the
export at most that late. Later exports work out the content version again and mark it.
"""

import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import caches

from inspections import clock


def cache():
    return caches["shared"]


def _stamp_key(plan_id: int) -> str:
    return f"plan-pdf-stamp:{plan_id}"


def _mark_key(plan_id: int) -> str:
    return f"plan-pdf-current:{plan_id}"


@dataclass(frozen=True)
class Version:
    """A plan's PDF for today: its cache key, worked out after `stamp` was read."""

    plan_id: int
    key: str
    stamp: str
    day: date
    layout: str


def _new_stamp() -> str:
    return secrets.token_hex(8)


def _stamp_from(found: dict, plan_id: int) -> str:
    """The plan's stamp from a get_many answer, made if the cache has none."""
    stamp = found.get(_stamp_key(plan_id))
    if stamp is None:
        stamp = _new_stamp()
        if not cache().add(_stamp_key(plan_id), stamp):
            stamp = cache().get(_stamp_key(plan_id)) or stamp  # another process made one
    return stamp


def stamp(plan_id: int) -> str:
    """The plan's change stamp: read it before the rows a version is worked out from."""
    return _stamp_from(cache().get_many([_stamp_key(plan_id)]), plan_id)


def look(plan_id: int, layout: str) -> tuple[str | None, str]:
    """(The marked key if it is still current, else None; the plan's stamp now).

    One cache call. The stamp is the one to work a new version out under, if needed.
    """
    found = cache().get_many([_mark_key(plan_id), _stamp_key(plan_id)])
    now = _stamp_from(found, plan_id)
    mark = found.get(_mark_key(plan_id))
    if mark and (mark["stamp"], mark["day"], mark["layout"]) == (now, clock.today(), layout):
        return mark["key"], now
    return None, now


def mark(version: Version) -> None:
    """Record that `version.key` is the plan's PDF (it is in the cache under that key)."""
    value = {
        "key": version.key,
        "stamp": version.stamp,
        "day": version.day,
        "layout": version.layout,
    }
    cache().set(_mark_key(version.plan_id), value, settings.EXPORT_CURRENT_SECONDS)


def changed(plan_ids) -> None:
    """These plans changed (the change is committed): their marks no longer hold."""
    if plan_ids:
        cache().set_many({_stamp_key(plan_id): _new_stamp() for plan_id in plan_ids})
