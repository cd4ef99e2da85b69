"""The real letters in ../shared/letters and how a reading is scored against expected/.

A reading counts a finding as found when a finding of the same kind has text at least 85%
alike after folding case, punctuation and spaces (the rule in the letters' README); each
read finding can match one expected finding only. Read findings that match none are
invented.
"""

import difflib
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _letters_dir() -> Path:
    """`../shared/letters` from the repository's root (as on CI); a worktree nested one
    level deeper finds the same folder further up."""
    for folder in REPO.parents:
        candidate = folder / "shared" / "letters"
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "letters"


LETTERS = _letters_dir()
SIMILAR_ENOUGH = 0.85


def letter_paths() -> list[Path]:
    return sorted(LETTERS.glob("*.pdf")) if LETTERS.is_dir() else []


def expected(pdf: Path) -> dict:
    return json.loads((LETTERS / "expected" / f"{pdf.stem}.json").read_text())


@functools.cache
def fold(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def _similarity_above(a: str, b: str, floor: float) -> float:
    """How alike two texts are (0 to 1, as difflib's ratio of their folded forms), or
    0.0 where it cannot be above `floor`: the cheap upper bounds (lengths, then letters in common) rule most pairs out before the full
    comparison, whose cost grows with the product of the lengths."""
    matcher = difflib.SequenceMatcher(None, fold(a), fold(b), autojunk=False)
    if matcher.real_quick_ratio() <= floor or matcher.quick_ratio() <= floor:
        return 0.0
    return matcher.ratio()


@dataclass
class Score:
    expected: int
    found: int
    invented: int
    missed: list

    @property
    def found_share(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def invented_share(self) -> float:
        read = self.found + self.invented
        return self.invented / read if read else 0.0


def score(read: list[dict], wanted: list[dict]) -> Score:
    used = set()
    missed = []
    for finding in wanted:
        best, best_ratio = None, 0.0
        for index, candidate in enumerate(read):
            if index in used or candidate["kind"] != finding["kind"]:
                continue
            # A pair below SIMILAR_ENOUGH never matches, and one no better than the best so
            # far never replaces it: neither needs its exact ratio.
            floor = max(best_ratio, SIMILAR_ENOUGH - 1e-9)
            ratio = _similarity_above(finding["text"], candidate["text"], floor)
            if ratio > best_ratio:
                best, best_ratio = index, ratio
        if best is not None and best_ratio >= SIMILAR_ENOUGH:
            used.add(best)
        else:
            missed.append(finding)
    return Score(
        expected=len(wanted),
        found=len(wanted) - len(missed),
        invented=len(read) - len(used),
        missed=missed,
    )
