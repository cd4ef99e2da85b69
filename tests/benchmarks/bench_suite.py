"""`make bench BENCH=suite`: how long `make test`'s suite takes now, against before.

Issue 13 asks for `make test` in under half its time before the speed work, with the
same tests. This runs the whole suite (SQLite, as `make test` does without DATABASE_URL,
one pytest-xdist worker per core) twice, one after the other on the same machine:

- on this working tree;
- on the baseline commit (BENCH_SUITE_BASELINE, default f7ee674: main as it was when
  issue 13 was taken up, before any of its work), run as its `make test` ran it then
  (BENCH_SUITE_BASELINE_WORKERS, default 0: one process, before pytest-xdist), checked
  out into a temporary git worktree that borrows this tree's virtualenv, node_modules
  and compiled CSS.

Both runs must pass, and this tree must pass at least as many tests as the baseline:
the suite has only grown since, so the comparison is, if anything, unfair to this tree. The target is the first run under half the second. It also prints the CPU
time (user + system, the workers included) of each run: the machine may be shared, and
CPU time is what the work costs whatever else is running.

BENCH_SUITE_SERIAL=1 also times this tree's suite in one process (no xdist).
"""

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = os.environ.get("BENCH_SUITE_BASELINE", "f7ee674")
BASELINE_WORKERS = os.environ.get("BENCH_SUITE_BASELINE_WORKERS", "0")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_suite(tree: Path, workers: str) -> tuple[float, float, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"JTAI_TESTING": "1", "CHROMIUM_PATH": env.get("CHROMIUM_PATH", "/usr/bin/chromium")}
    started, cpu = time.perf_counter(), children_cpu()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", workers],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds, cpu = time.perf_counter() - started, children_cpu() - cpu
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    if result.returncode != 0:
        print(result.stdout[-5000:], result.stderr[-2000:])
        raise SystemExit(f"The suite failed in {tree} with -n {workers}: {summary}")
    return seconds, cpu, summary


def passed(summary: str) -> int:
    match = re.search(r"(\d+) passed", summary)
    return int(match.group(1)) if match else 0


def baseline_tree(scratch: Path) -> Path:
    """The baseline commit checked out beside the shared documents the tests read
    (`../shared` from the repository's root), with this tree's installed packages."""
    tree = scratch / "baseline"
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(tree), BASELINE], cwd=ROOT, check=True
    )
    shared = ROOT.parent / "shared"
    if shared.exists():
        (scratch / "shared").symlink_to(shared.resolve())
    for name in (".venv", "node_modules"):
        # Early commits tracked these as links by mistake: replace what is checked out.
        (tree / name).unlink(missing_ok=True)
        (tree / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "static" / "build", tree / "static" / "build")
    return tree


def main():
    print(f"{os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}", flush=True)
    now, now_cpu, summary = run_suite(ROOT, "auto")
    print(f"this tree, -n auto (as `make test`): {now:.0f} s, CPU {now_cpu:.0f} s; {summary}")
    if os.environ.get("BENCH_SUITE_SERIAL") == "1":
        serial, serial_cpu, serial_summary = run_suite(ROOT, "0")
        print(f"this tree, one process: {serial:.0f} s, CPU {serial_cpu:.0f} s; {serial_summary}")

    scratch = Path(tempfile.mkdtemp(prefix="jtai-bench-suite-"))
    try:
        tree = baseline_tree(scratch)
        before, before_cpu, before_summary = run_suite(tree, BASELINE_WORKERS)
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(scratch / "baseline")],
            cwd=ROOT,
            check=False,
        )
        shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"baseline {BASELINE}, -n {BASELINE_WORKERS}: {before:.0f} s, CPU {before_cpu:.0f} s; {before_summary}"
    )
    if passed(summary) < passed(before_summary):
        print("This tree passed fewer tests than the baseline: not the same tests.")
        return 1
    met = now < before / 2
    value = f"{now:.0f} s vs {before:.0f} s at {BASELINE} ({now / before:.2f}; CPU {now_cpu / before_cpu:.2f})"
    print(
        f"FIGURE\tSuite: make test now vs before\t{value}\t< 0.5 of before\t{'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
