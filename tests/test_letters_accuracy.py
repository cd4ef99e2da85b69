"""The reader against every real letter in ../shared/letters and its expected reading.

Across the letters at least 97% of the findings must be found (kind and text) and at most
3% of what is read may be invented; in every letter the letter's date and the stated
deadline must be exact. The letters sit beside the repository (`../shared/letters` from
its root, as on CI); without them the test is skipped and says so.
"""

import io
import json

import pytest
from django.core.management import call_command

from tests.letters import LETTERS, expected, letter_paths, score

pytestmark = pytest.mark.skipif(
    not letter_paths(), reason=f"the real letters are not here: {LETTERS} is missing or empty"
)


def _read_json(pdf):
    out = io.StringIO()
    call_command("read_letter", str(pdf), "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def readings():
    return {pdf.stem: (_read_json(pdf), expected(pdf)) for pdf in letter_paths()}


def test_read_letter_json_has_the_issues_shape(readings):
    for got, _ in readings.values():
        assert set(got) == {
            "area",
            "letter_date",
            "fieldwork_start",
            "fieldwork_end",
            "theme",
            "statement_due",
            "statement_due_phrase",
            "findings",
            "warnings",
        }
        for finding in got["findings"]:
            assert set(finding) == {"kind", "agency", "number", "text"}
            assert finding["kind"] in {"strength", "improvement", "priority"}


def test_findings_found_and_invented_across_all_letters(readings):
    scores = {
        name: score(got["findings"], want["findings"]) for name, (got, want) in readings.items()
    }
    wanted = sum(s.expected for s in scores.values())
    found = sum(s.found for s in scores.values())
    invented = sum(s.invented for s in scores.values())
    report = "\n".join(
        f"{name}: {s.found}/{s.expected} found, {s.invented} invented" for name, s in scores.items()
    )
    assert found / wanted >= 0.97, report
    assert invented / (found + invented) <= 0.03, report


@pytest.mark.parametrize("pdf", letter_paths(), ids=lambda pdf: pdf.stem)
def test_each_letter_mostly_read(readings, pdf):
    got, want = readings[pdf.stem]
    result = score(got["findings"], want["findings"])
    # No single letter may be far off even when the total is good.
    assert result.found_share >= 0.9, [f["text"][:80] for f in result.missed]
    assert result.invented_share <= 0.1


@pytest.mark.parametrize("pdf", letter_paths(), ids=lambda pdf: pdf.stem)
def test_letter_date_and_stated_deadline_exact(readings, pdf):
    got, want = readings[pdf.stem]
    assert got["letter_date"] == want["letter_date"]
    assert got["statement_due"] == want["statement_due"]
    assert got["statement_due_phrase"] == want["statement_due_phrase"]
    assert got["area"] == want["area"]


@pytest.mark.parametrize("pdf", letter_paths(), ids=lambda pdf: pdf.stem)
def test_agency_headings_as_expected(readings, pdf):
    got, want = readings[pdf.stem]
    result = score(got["findings"], want["findings"])
    if result.missed:
        pytest.skip("agencies are compared only where every finding was found")
    assert [f["agency"] for f in got["findings"]] == [f["agency"] for f in want["findings"]]
