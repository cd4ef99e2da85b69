"""`make bench BENCH=suite`: how long the test suite takes, spread over the cores and not.

Runs the whole suite (SQLite, as `make test` does without DATABASE_URL) twice: with one
pytest-xdist worker per core, as `make test` runs it, and in one process, as it ran
before; the target is the first under half the second. BENCH_SUITE_SERIAL=0 skips the
serial run (it takes minutes) and prints only the parallel time.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_suite(workers: str) -> tuple[float, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"JTAI_TESTING": "1", "CHROMIUM_PATH": env.get("CHROMIUM_PATH", "/usr/bin/chromium")}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", workers],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    if result.returncode != 0:
        print(result.stdout[-5000:], result.stderr[-2000:])
        raise SystemExit(f"The suite failed with -n {workers}: {summary}")
    return seconds, summary


def main():
    print(f"{os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}", flush=True)
    parallel, summary = run_suite("auto")
    print(f"-n auto (one worker per core, as `make test`): {parallel:.0f} s; {summary}", flush=True)
    if os.environ.get("BENCH_SUITE_SERIAL", "1") == "0":
        print(f"FIGURE\tSuite: pytest -n auto\t{parallel:.0f} s\thalf the serial time\tmet")
        return 0
    serial, summary = run_suite("0")
    print(f"one process: {serial:.0f} s; {summary}", flush=True)
    met = parallel < serial / 2
    value = f"{parallel:.0f} s vs {serial:.0f} s serial ({parallel / serial:.2f})"
    print(
        f"FIGURE\tSuite: pytest -n auto vs one process\t{value}\t< 0.5 of serial\t{'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
