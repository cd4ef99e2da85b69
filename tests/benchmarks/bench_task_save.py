"""How long one save of a key task takes: GET the update page, then POST it.

A lead's save is two requests (open the form, submit it); this measures both, 100
times in a row on one task, on PostgreSQL, and prints the median (p50) with the p90
and the worst. Client-side work (reading the form out of the HTML) is not counted.

The script makes its own throwaway database on the PostgreSQL server named by
BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432), migrates it, loads
the Stockton plan, and drops the database at the end whatever happens.
Run it with `make bench BENCH=task_save`.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
SAVES = 100
WARM_UP = 5


def main() -> int:
    import psycopg

    name = f"jtai_bench_task_save_{os.getpid()}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            _configure_django(f"{SERVER}/{name}")
            _report(_measure())
        finally:
            from django.db import connections

            connections.close_all()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


def _configure_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    # The test settings only swap the password hasher and the e-mail backend; debug stays off.
    os.environ.setdefault("JTAI_TESTING", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "jtai_tracker.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _measure() -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from actionplans.models import KeyTask
    from inspections.models import Agency, Membership
    from tests.html_forms import read_form

    call_command("migrate", verbosity=0)
    call_command("loaddata", "stockton_2017_neglect", verbosity=0)
    user = get_user_model().objects.create_user("bench.lead", first_name="Bench", last_name="Lead")
    agency = Agency.objects.get(name="Cleveland Police")
    Membership.objects.create(
        user=user, role=Membership.Role.LEAD, agency=agency, area=agency.areas.get()
    )
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    url = reverse("task_update", args=[task.pk])

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    gets, posts = [], []
    for number in range(WARM_UP + SAVES):
        started = time.perf_counter()
        response = client.get(url)
        opened = time.perf_counter()
        assert response.status_code == 200, response.status_code
        data = read_form(response)
        data["new_action-0-text"] = f"Benchmark entry {number}"
        if number % 10 == 0:  # now and then a new rating, with its reason
            data["rag"] = ["red", "amber", "green"][number % 3]
            data["reason"] = f"Benchmark rating {number}"
        data["action"] = "save"
        before_post = time.perf_counter()
        response = client.post(url, data)
        saved = time.perf_counter()
        assert response.status_code == 302, response.content.decode()[:2000]
        if number >= WARM_UP:
            gets.append(opened - started)
            posts.append(saved - before_post)
    task.refresh_from_db()
    assert task.history.count() == WARM_UP + SAVES
    return {"get": gets, "post": posts, "total": [g + p for g, p in zip(gets, posts, strict=True)]}


def _ms(value):
    return f"{value * 1000:.1f} ms"


def _report(times):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"{SAVES} saves of one key task (GET the update page, POST it) on PostgreSQL {version}")
    for part, label in [("total", "save (GET + POST)"), ("get", "GET form"), ("post", "POST save")]:
        values = sorted(times[part])
        p90 = values[int(len(values) * 0.9) - 1]
        print(
            f"  {label:<18} p50 {_ms(statistics.median(values))}  p90 {_ms(p90)}  "
            f"max {_ms(values[-1])}"
        )


if __name__ == "__main__":
    sys.exit(main())
