"""`make bench`: run every tests/benchmarks/bench_*.py in turn and print their numbers.

Benchmarks are not part of `make test`: they load large data sets into PostgreSQL
and take minutes. Each bench_*.py is a script with a main() that prints its own
results; this runner only finds and runs them (or the ones named on the command line).
"""

import subprocess
import sys
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
    failed = 0
    for script in scripts:
        print(f"\n=== {script.stem}", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parents[1], check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
