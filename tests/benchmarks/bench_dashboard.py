"""`make bench BENCH=dashboard`: the board's dashboard at the scale of all of England.

1. Drops and recreates the PostgreSQL database jtai_bench_dashboard, migrates it and
   loads 150 areas x 3 plans x 40 tasks x 20 updates with `seed_scale_data`.
2. Serves the app with gunicorn, debug off, on a free loopback port.
3. Signs a board member of one area in through the login page (a real session cookie).
4. Has the plan's PDF made as it is for a plan quiet for a minute: one "Export PDF"
   queues the render job, and `manage.py db_worker --batch` (the worker) runs it.
5. Loads, in turn, for a fixed time each: /healthz/ (a trivial view through the same
   middleware, the ceiling), the dashboard (as the board sees it: rendered once, then
   from the cache), the dashboard with every request rendered (a new comparison date
   each time), the task list (nothing cached: each request runs its queries and renders
   its rows) as it opens and then through every filter and sort in turn, and "Export
   PDF" (click to file). All with the same session cookie, so the ceiling pays for the
   session and user lookups too, as every signed-in request does.
6. Prints p50, p95 and requests per second, the ratio dashboard/ceiling, and whether
   the targets are met (dashboard, task list and export p95 under 100 ms, the
   dashboard at least a quarter of the ceiling's requests per second), also as FIGURE
   lines for `make bench`. Exits 1 if one is missed.

The load generator is Debian's `wrk` (installed with apt-get when missing, which needs
root) or, failing that, a small Python one. Everything runs on 127.0.0.1.

Settings (environment): BENCH_AREAS, BENCH_PLANS, BENCH_TASKS, BENCH_UPDATES (the data),
BENCH_SECONDS (per URL, default 10), BENCH_WORKERS (gunicorn workers, default 2 per
core), BENCH_CONNECTIONS (default: as many as workers), BENCH_PG (server URL without a
database, default postgres://postgres@127.0.0.1:5432), BENCH_DB (the database's name,
default jtai_bench_dashboard), BENCH_KEEP_DB=1 to reuse a database that is already loaded.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DB_NAME = os.environ.get("BENCH_DB", "jtai_bench_dashboard")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SIZES = {
    "areas": int(os.environ.get("BENCH_AREAS", 150)),
    "plans-per-area": int(os.environ.get("BENCH_PLANS", 3)),
    "tasks-per-plan": int(os.environ.get("BENCH_TASKS", 40)),
    "updates-per-task": int(os.environ.get("BENCH_UPDATES", 20)),
}
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
WORKERS = int(os.environ.get("BENCH_WORKERS", 2 * (os.cpu_count() or 1)))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", WORKERS))
USERNAME, PASSWORD = "bench.board", secrets.token_urlsafe(16)
TARGET_P95_MS = 100
TARGET_RATIO = 0.25

# wrk prints its own summary; this adds the percentiles we report as one JSON line.
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "errors": %d, "non_2xx": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, errors, summary.errors.status))
end
"""
# Every request a comparison date never asked for before: the body cannot come from the cache.
WRK_UNCACHED = """
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local n = 0
request = function()
  n = n + 1
  local day = os.date("!%Y-%m-%d", os.time() - 86400 * (n * 8 + id))
  return wrk.format(nil, wrk.path .. "?since=" .. day)
end
"""


# The task list through each filter and sort in turn (the list is never cached).
TASK_LIST_QUERIES = [
    "",
    "?sort=-rag",
    "?sort=updated_at",
    "?sort=-overdue_count",
    "?sort=description&page=2",
    "?rag=red&rag=unrated",
    "?overdue=on",
    "?stale=on",
    "?changed=on",
    "?q=review",
    "?section={section}",
    "?agency={agency}&sort=-rag",
]
WRK_ROTATE = """
local queries = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. queries[(n %% #queries) + 1])
end
"""


def step(message):
    print(f"-- {message}", flush=True)


def server_env(database_url):
    env = dict(os.environ)
    env.pop("JTAI_TESTING", None)
    env |= {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    return env


def manage(env, *args, **kwargs):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, **kwargs
    )


def prepare_database(env):
    if os.environ.get("BENCH_KEEP_DB") == "1":
        step(f"reusing database {DB_NAME}")
        return
    step(f"recreating database {DB_NAME}")
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    manage(env, "migrate", "--no-input", "-v0")
    sizes = " x ".join(f"{v} {k.split('-')[0]}" for k, v in SIZES.items())
    step(f"seed_scale_data: {sizes}")
    started = time.perf_counter()
    # The seeding command refuses to run with debug off (it is no production tool). Its
    # saves queue no PDF renders: no worker should spend the run on 450 plans' PDFs.
    manage(
        env | {"DJANGO_DEBUG": "1", "JTAI_JOBS_BACKEND": "immediate"},
        "seed_scale_data",
        *[item for key, value in SIZES.items() for item in (f"--{key}", str(value))],
    )
    step(f"seeded in {time.perf_counter() - started:.0f} s")


def board_member(env):
    """Creates the bench login, a board member of the first area; returns a plan id."""
    code = f"""
from django.contrib.auth import get_user_model
from inspections.models import Area, Membership
from actionplans.models import ActionPlan
user, _ = get_user_model().objects.get_or_create(username={USERNAME!r})
user.set_password({PASSWORD!r}); user.save()
area = Area.objects.order_by("name").first()
Membership.objects.get_or_create(user=user, role="board", area=area)
plan = ActionPlan.objects.filter(inspection__area=area).order_by("pk").first()
print("PLAN", plan.pk, plan.sections.order_by("position").last().pk, area.agencies.order_by("pk").first().pk)
"""
    out = manage(env, "shell", "-c", code, capture_output=True).stdout
    plan, section, agency = map(int, re.search(r"PLAN (\d+) (\d+) (\d+)", out).groups())
    return plan, section, agency


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, port):
    step(f"gunicorn: {WORKERS} workers on 127.0.0.1:{port}")
    server = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "jtai_tracker.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            if request(port, "GET", "/healthz/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer on /healthz/")


def request(port, method, path, body=None, headers=None):
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, response.getheaders(), data


def cookies_from(headers):
    """name -> value from Set-Cookie headers (the Secure flag is for browsers: with
    debug off the cookies are marked Secure, and this client sends them over HTTP)."""
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            found[key.strip()] = val.strip()
    return found


def log_in(port):
    status, headers, body = request(port, "GET", "/login/")
    cookies = cookies_from(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    status, headers, _ = request(
        port,
        "POST",
        "/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
        },
    )
    session = cookies_from(headers).get("sessionid")
    if status != 302 or not session:
        raise RuntimeError(f"Signing in failed ({status})")
    return f"sessionid={session}"


def ensure_wrk():
    if shutil.which("wrk"):
        return True
    step("wrk is missing: apt-get install -y wrk")
    try:
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError):
        step("could not install wrk: using the Python load generator")
        return False
    return bool(shutil.which("wrk"))


def run_wrk(port, path, cookie, seconds, script_extra=""):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(script_extra + WRK_REPORT)
    try:
        out = subprocess.run(
            [
                "wrk",
                "--threads",
                str(min(2, CONNECTIONS)),
                "--connections",
                str(CONNECTIONS),
                "--duration",
                f"{seconds}s",
                "--timeout",
                "10s",
                "--script",
                script.name,
                "--header",
                f"Cookie: {cookie}",
                f"http://127.0.0.1:{port}{path}",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    result = json.loads(re.search(r"BENCH (\{.*\})", out).group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def run_python(port, path, cookie, seconds, uncached=False, queries=None):
    """The fallback load generator: one thread per connection, keep-alive."""
    latencies, errors, counter = [], [0], [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        conn = HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < deadline:
            with lock:
                counter[0] += 1
                n = counter[0]
            target = path
            if uncached:
                day = time.gmtime(time.time() - 86400 * n)
                target += f"?since={time.strftime('%Y-%m-%d', day)}"
            elif queries:
                target += queries[n % len(queries)]
            started = time.perf_counter()
            conn.request("GET", target, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors[0] += response.status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000

    return {
        "requests": len(latencies),
        "rps": len(latencies) / duration,
        "p50_ms": percentile(50),
        "p95_ms": percentile(95),
        "errors": 0,
        "non_2xx": errors[0],
    }


def check_page(port, path, cookie, expected):
    status, _, body = request(port, "GET", path, headers={"Cookie": cookie})
    if status != 200 or expected.encode() not in body:
        raise RuntimeError(f"{path} answered {status} without {expected!r}")


def prerender_pdf(env, port, cookie, plan_id):
    """The plan's PDF as it is once the plan has been quiet for a minute: the first
    "Export PDF" queues the render job (and gets the progress page); the worker runs it."""
    path = f"/plans/{plan_id}/export.pdf"
    status, headers, _ = request(port, "GET", path, headers={"Cookie": cookie})
    if status == 302:
        step("the PDF is not made yet: db_worker renders it")
        manage(env, "db_worker", "--batch", "--no-startup-delay", "-v0")
        status, headers, _ = request(port, "GET", path, headers={"Cookie": cookie})
    if status != 200 or dict(headers).get("Content-Type") != "application/pdf":
        raise RuntimeError(f"{path} answered {status}, not the PDF")


def main():
    database_url = f"{PG}/{DB_NAME}"
    env = server_env(database_url)
    # The rendered PDFs go to a folder of this run (the cache every process shares).
    env["JTAI_EXPORT_CACHE_DIR"] = tempfile.mkdtemp(prefix="jtai-bench-exports-")
    prepare_database(env)
    plan_id, section_id, agency_id = board_member(env)
    # Debug off: the hashed static file names come from collectstatic's manifest.
    manage(env, "collectstatic", "--no-input", "-v0")
    use_wrk = ensure_wrk()
    port = free_port()
    server = start_server(env, port)
    try:
        cookie = log_in(port)
        dashboard = f"/plans/{plan_id}/dashboard/"
        task_list = f"/plans/{plan_id}/tasks/"
        export = f"/plans/{plan_id}/export.pdf"
        check_page(port, dashboard, cookie, "Where the plan stands")
        check_page(port, task_list, cookie, "key tasks")
        check_page(port, "/healthz/", cookie, "ok")
        queries = [q.format(section=section_id, agency=agency_id) for q in TASK_LIST_QUERIES]
        for query in queries:
            check_page(port, task_list + query, cookie, "key task")
        prerender_pdf(env, port, cookie, plan_id)
        rotate = WRK_ROTATE % ", ".join(f'"{q}"' for q in queries)
        # (label, path, wrk script, Python fallback's options)
        runs = [
            ("ceiling: /healthz/", "/healthz/", "", {}),
            ("dashboard", dashboard, "", {}),
            ("dashboard, rendered every time", dashboard, WRK_UNCACHED, {"uncached": True}),
            ("task list", task_list, "", {}),
            ("task list, filters and sorts", task_list, rotate, {"queries": queries}),
            ("export PDF, quiet plan", export, "", {}),
        ]
        load = os.getloadavg()[0]
        tool = "wrk" if use_wrk else "python"
        step(
            f"{tool}: {CONNECTIONS} connections, {SECONDS} s per URL, "
            f"{os.cpu_count()} cores, load average {load:.2f}"
        )
        results = {}
        for label, path, extra, options in runs:
            if use_wrk:
                run_wrk(port, path, cookie, 2, extra)  # warm every worker up
                results[label] = run_wrk(port, path, cookie, SECONDS, extra)
            else:
                run_python(port, path, cookie, 2, **options)
                results[label] = run_python(port, path, cookie, SECONDS, **options)
            if results[label]["errors"] or results[label]["non_2xx"]:
                raise RuntimeError(f"{label}: {results[label]}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(env["JTAI_EXPORT_CACHE_DIR"], ignore_errors=True)

    print()
    print(f"{'URL':<34}{'p50 ms':>10}{'p95 ms':>10}{'req/s':>10}")
    for label, result in results.items():
        print(
            f"{label:<34}{result['p50_ms']:>10.1f}{result['p95_ms']:>10.1f}{result['rps']:>10.0f}"
        )
    ceiling, board = results["ceiling: /healthz/"], results["dashboard"]
    ratio = board["rps"] / ceiling["rps"]
    scale = "x".join(str(v) for v in SIZES.values())
    checks = [
        (f"Dashboard p95 ({scale})", board["p95_ms"], TARGET_P95_MS),
        (f"Task list p95 uncached ({scale})", results["task list"]["p95_ms"], TARGET_P95_MS),
        (
            f"Task list p95 uncached, filters and sorts ({scale})",
            results["task list, filters and sorts"]["p95_ms"],
            TARGET_P95_MS,
        ),
        ("Export PDF click to file p95, quiet plan", results["export PDF, quiet plan"]["p95_ms"], TARGET_P95_MS),
    ]  # fmt: skip
    print()
    all_met = ratio >= TARGET_RATIO
    print(
        f"dashboard/ceiling req/s: {ratio:.2f} (target >= {TARGET_RATIO}): "
        + ("met" if all_met else "MISSED")
    )
    print(
        f"FIGURE\tDashboard/ceiling req/s\t{ratio:.2f}\t>= {TARGET_RATIO}\t{'met' if all_met else 'MISSED'}"
    )
    for name, p95, target in checks:
        met = p95 < target
        all_met &= met
        print(f"{name}: {p95:.1f} ms (target < {target} ms): " + ("met" if met else "MISSED"))
        print(f"FIGURE\t{name}\t{p95:.1f} ms\t< {target} ms\t{'met' if met else 'MISSED'}")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
