"""`make bench`: run every tests/benchmarks/bench_*.py in turn, then list their figures.

Benchmarks are not part of `make test`: they load large data sets into PostgreSQL
and take minutes. Each bench_*.py is a script with a main() that prints its own
results; this runner finds and runs them (or the ones named on the command line) and
ends with every figure a benchmark marked with a FIGURE line, beside its target:

    FIGURE<TAB>what<TAB>measured<TAB>target<TAB>met|MISSED
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv):
    wanted = set(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    if wanted:
        scripts = [
            s for s in scripts if s.stem in wanted or s.stem.removeprefix("bench_") in wanted
        ]
    if not scripts:
        print("No benchmarks found.")
        return 0
    failed, figures = [], []
    for script in scripts:
        print(f"\n=== {script.stem}", flush=True)
        started = time.perf_counter()
        with subprocess.Popen(
            [sys.executable, str(script)],
            cwd=HERE.parents[1],
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        ) as process:
            for line in process.stdout:
                if line.startswith("FIGURE\t"):
                    figures.append(line.rstrip("\n").split("\t")[1:])
                else:
                    print(line, end="", flush=True)
        print(f"=== {script.stem}: {time.perf_counter() - started:.0f} s", flush=True)
        if process.returncode != 0:
            failed.append(script.stem)
    if figures:
        print("\n=== Figures and their targets")
        width = max(len(name) for name, *_ in figures)
        for name, value, target, verdict in figures:
            print(
                f"  {'met ' if verdict == 'met' else 'MISS'}  {name:<{width}}  {value}  (target {target})"
            )
    if failed:
        print(f"\nFailed or missed a target: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
