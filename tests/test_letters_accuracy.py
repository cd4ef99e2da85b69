"""The reader against every real letter in ../shared/letters and its expected reading.

Across the letters at least 97% of the findings must be found (kind and text) and at most
3% of what is read may be invented; in every letter the letter's date and the stated
deadline must be exact. The letters sit beside the repository (`../shared/letters` from
its root, as on CI); without them the test is skipped and says so.
"""

import functools
import io
import json

import pytest
from django.core.management import call_command

from tests.letters import LETTERS, expected, letter_paths, score

pytestmark = [
    pytest.mark.skipif(
        not letter_paths(), reason=f"the real letters are not here: {LETTERS} is missing or empty"
    ),
    # One pytest-xdist worker takes the whole module (tests/scheduling.py): two of its tests
    # need every letter read, and each worker would otherwise read them all.
    pytest.mark.xdist_group("real_letters"),
]


# Each letter is read and scored once per test process, whichever tests ask and however
# pytest-xdist spreads them: reading and scoring are the expensive part, the tests only
# look at the results.
@functools.cache
def reading(pdf):
    """(what `read_letter --json` reads in the letter, what it should read)."""
    out = io.StringIO()
    call_command("read_letter", str(pdf), "--json", stdout=out)
    return json.loads(out.getvalue()), expected(pdf)


@functools.cache
def letter_score(pdf):
    got, want = reading(pdf)
    return score(got["findings"], want["findings"])


def test_read_letter_json_has_the_issues_shape():
    for got, _ in map(reading, letter_paths()):
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


def test_findings_found_and_invented_across_all_letters():
    scores = {pdf.stem: letter_score(pdf) for pdf in letter_paths()}
    wanted = sum(s.expected for s in scores.values())
    found = sum(s.found for s in scores.values())
    invented = sum(s.invented for s in scores.values())
    report = "\n".join(
        f"{name}: {s.found}/{s.expected} found, {s.invented} invented" for name, s in scores.items()
    )
    assert found / wanted >= 0.97, report
    assert invented / (found + invented) <= 0.03, report


@pytest.mark.parametrize("pdf", letter_paths(), ids=lambda pdf: pdf.stem)
def test_each_letter_mostly_read(pdf):
    result = letter_score(pdf)
    # No single letter may be far off even when the total is good.
    assert result.found_share >= 0.9, [f["text"][:80] for f in result.missed]
    assert result.invented_share <= 0.1


@pytest.mark.parametrize("pdf", letter_paths(), ids=lambda pdf: pdf.stem)
def test_letter_date_and_stated_deadline_exact(pdf):
    got, want = reading(pdf)
    assert got["letter_date"] == want["letter_date"]
    assert got["statement_due"] == want["statement_due"]
    assert got["statement_due_phrase"] == want["statement_due_phrase"]
    assert got["area"] == want["area"]


@pytest.mark.parametrize("pdf", letter_paths(), ids=lambda pdf: pdf.stem)
def test_agency_headings_as_expected(pdf):
    got, want = reading(pdf)
    if letter_score(pdf).missed:
        pytest.skip("agencies are compared only where every finding was found")
    assert [f["agency"] for f in got["findings"]] == [f["agency"] for f in want["findings"]]
