"""Write what was read from a letter: the one writer of inspections made from letters.

Both functions run in one transaction, after the plan manager has seen the preview and
chosen which findings to keep. Findings are only ever added: an existing inspection keeps
its findings (and so every key task's link to them); the new ones are numbered after the
last of their kind.
"""

import re
from difflib import SequenceMatcher

from django.db import transaction
from django.db.models import Max

from ..models import Finding, Inspection, Inspectorate
from ..signals import findings_added
from .agencies import agencies_named
from .result import LetterFinding


def normalised(text: str) -> str:
    """Text compared for "the same finding": case, punctuation and spaces folded."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def _same(a: str, b: str) -> bool:
    # Typed by hand, a finding may differ from the letter by a letter or a space; the
    # opening words must agree before the slower comparison is made.
    return a == b or (a[:60] == b[:60] and SequenceMatcher(None, a, b).ratio() >= 0.9)


def already_recorded(inspection: Inspection | None, findings: list[LetterFinding]) -> set[int]:
    """Indexes of the letter's findings the inspection already has (same kind and text)."""
    if inspection is None:
        return set()
    existing = [
        (kind, normalised(text)) for kind, text in inspection.findings.values_list("kind", "text")
    ]
    return {
        index
        for index, finding in enumerate(findings)
        if any(
            kind == finding.kind and _same(text, normalised(finding.text))
            for kind, text in existing
        )
    }


@transaction.atomic
def create_inspection(
    *,
    user,
    area,
    findings: list[LetterFinding],
    inspectorate_codes: list[str],
    kind: str = Inspection.Kind.JTAI,
    theme: str = "",
    fieldwork_start,
    fieldwork_end,
    letter_published,
    report_received,
    statement_due_stated=None,
) -> Inspection:
    """A new inspection of `area` with the chosen findings. `user` is the plan manager
    who confirmed (checked by the view through inspections.access)."""
    inspection = Inspection.objects.create(
        area=area,
        kind=kind,
        theme=theme,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        letter_published=letter_published,
        report_received=report_received,
        statement_due_stated=statement_due_stated,
    )
    inspection.inspectorates.set(Inspectorate.objects.filter(code__in=inspectorate_codes))
    _add_findings(inspection, findings)
    return inspection


@transaction.atomic
def add_findings(*, user, inspection: Inspection, findings: list[LetterFinding]) -> list[Finding]:
    """Add to an existing inspection the chosen findings it does not have yet."""
    # Lock the inspection so that two confirms for it cannot number findings alike.
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    skip = already_recorded(inspection, findings)
    return _add_findings(inspection, [f for i, f in enumerate(findings) if i not in skip])


def _add_findings(inspection: Inspection, findings: list[LetterFinding]) -> list[Finding]:
    last = dict(inspection.findings.values_list("kind").annotate(last=Max("position")).order_by())
    partners = list(inspection.area.agencies.all())
    rows = []
    named = []
    for finding in findings:
        last[finding.kind] = last.get(finding.kind, 0) + 1
        rows.append(
            Finding(
                inspection=inspection,
                kind=finding.kind,
                position=last[finding.kind],
                text=finding.text,
            )
        )
        named.append(agencies_named(finding.agency, partners))
    created = Finding.objects.bulk_create(rows)
    links = [
        Finding.agencies.through(finding_id=row.pk, agency_id=agency.pk)
        for row, agencies in zip(created, named, strict=True)
        for agency in agencies
    ]
    Finding.agencies.through.objects.bulk_create(links)
    # bulk_create sends no post_save: tell the layer above (the plans' PDFs list findings).
    findings_added.send(sender=Inspection, inspection=inspection)
    return created
