"""How long Word import and export take: the Stockton plan (25 key tasks) and larger.

Run with `make bench BENCH=docx` (on PostgreSQL when DATABASE_URL is set, else SQLite).
For each plan: the time to read the .docx (parse, no database writes), to write the
parsed plan (one transaction), and to export the plan back to Word; the median of a few
runs, in milliseconds.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jtai_tracker.settings")
os.environ.setdefault("JTAI_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

RUNS = 7


def median_ms(function, runs=RUNS):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def measure(label, plan, data, user):
    from actionplans.exports.docx import render_plan_docx
    from actionplans.imports.services import import_plan, read_plan

    inspection = plan.inspection
    parse_ms, parsed = median_ms(lambda: read_plan(data, inspection))
    write_ms, _ = median_ms(lambda: import_plan(parsed=parsed, inspection=inspection, user=user))
    export_ms, exported = median_ms(lambda: render_plan_docx(plan))
    tasks = len(parsed.tasks)
    print(
        f"{label:<34} {tasks:>5} {len(data) // 1024:>6} KB {parse_ms:>9.0f} {write_ms:>9.0f} "
        f"{parse_ms + write_ms:>9.0f} {export_ms:>9.0f}"
    )


def main():
    from actionplans.exports.docx import render_plan_docx
    from actionplans.models import ActionPlan
    from tests.docx_builder import seed_layout
    from tests.plan_factory import make_generated_plan

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("loaddata", "stockton_2017_neglect", verbosity=0)
        stockton = ActionPlan.objects.select_related("inspection__area").get()
        print(f"database: {connection.vendor}; median of {RUNS} runs, milliseconds")
        print(
            f"{'document':<34} {'tasks':>5} {'size':>9} {'parse':>9} {'write':>9} {'import':>9} {'export':>9}"
        )
        measure("Stockton, the seed's layout", stockton, seed_layout(stockton), None)
        measure("Stockton, as exported", stockton, render_plan_docx(stockton), None)
        for size in (100, 500):
            plan = make_generated_plan(stockton.inspection, tasks=size, seed=size)
            measure(f"generated, {size} tasks", plan, render_plan_docx(plan), None)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
