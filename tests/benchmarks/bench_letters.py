"""How long reading a findings letter takes, and how well each letter is read.

Run with `make bench BENCH=letters`. For every letter in ../shared/letters: its pages,
the median time to read it in this process (of three runs, wall and CPU), the time as the
upload page reads it (in a child process with limits, which adds the child's start), and
the findings found and invented against expected/ (the rule of tests/letters.py).
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inspections.letters import read_letter  # noqa: E402
from inspections.letters.limits import read_letter_limited  # noqa: E402
from tests.letters import LETTERS, expected, letter_paths, score  # noqa: E402

RUNS = 3


def timed(function):
    wall, cpu = [], []
    result = None
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), result


def main():
    paths = letter_paths()
    if not paths:
        print(f"No letters at {LETTERS}: nothing to measure.")
        return 0
    print(
        f"{'letter':<52} {'pages':>5} {'read ms':>8} {'cpu ms':>7} {'child ms':>9} "
        f"{'expected':>8} {'found':>6} {'invented':>8}"
    )
    totals = [0, 0, 0]
    for path in paths:
        data = path.read_bytes()
        wall, cpu, reading = timed(lambda data=data: read_letter(data))
        started = time.perf_counter()
        read_letter_limited(data)
        child = (time.perf_counter() - started) * 1000
        result = score(reading.as_json()["findings"], expected(path)["findings"])
        totals[0] += result.expected
        totals[1] += result.found
        totals[2] += result.invented
        print(
            f"{path.stem:<52} {reading.pages:>5} {wall:>8.0f} {cpu:>7.0f} {child:>9.0f} "
            f"{result.expected:>8} {result.found:>6} {result.invented:>8}"
        )
    wanted, found, invented = totals
    print(
        f"\nAll letters: {found}/{wanted} found ({found / wanted:.1%}), {invented} invented "
        f"({invented / max(found + invented, 1):.1%})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
