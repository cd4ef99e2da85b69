"""Two app servers behind a balancer share one state: PostgreSQL, Redis and the storage.

Starts two gunicorn servers and a jobs worker (RQ on Redis) on loopback, against this
test's PostgreSQL database, the Redis at JTAI_TEST_REDIS_URL (default
redis://127.0.0.1:6379, a database of its own) and an S3-compatible bucket served by
moto's server (a real S3-protocol server process, from the dev extra). Nothing else is
shared: each process has a media folder and a temporary folder of its own, and the test
checks that no file was left in them. A plan manager uploads a plan on one server and
confirms the import on the other; a reader asks for its PDF on one, the worker renders
it, and both servers serve it. PostgreSQL only: SQLite is one machine's file, and the
test database must be one that other processes can open.
"""

import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from actionplans.models import ActionPlan, KeyTask

from .conftest import PASSWORD
from .test_plan_import import small_plan

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("JTAI_TEST_REDIS_URL", "redis://127.0.0.1:6379")
# As the README runs it: jobs of the Tasks API, and jobs queued to run later.
RQ_WORKER_OPTIONS = ["--job-class", "django_tasks_rq.Job", "--with-scheduler"]


@pytest.fixture
def redis_url():
    """A Redis database no other run uses at the moment, emptied afterwards."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        pytest.fail(f"No Redis at {REDIS_URL} ({error}): .ci/run starts one.")
    for number in range(15, 0, -1):
        client = redis.Redis.from_url(f"{REDIS_URL}/{number}")
        # Claim an empty database: another run holding it keeps its marker key.
        if client.dbsize() == 0 and client.set("jtai-two-servers", "1", nx=True, ex=900):
            yield f"{REDIS_URL}/{number}"
            client.flushdb()
            return
    pytest.fail("No empty Redis database to use.")


@pytest.fixture
def s3_bucket():
    """A bucket on a moto S3 server of this test's own, and how to reach it."""
    server = BIN / "moto_server"
    if not server.exists():
        pytest.fail("No moto_server: install the dev extra (moto[server]).")
    port = free_port()
    process = start([server, "-H", "127.0.0.1", "-p", port], dict(os.environ))
    try:
        wait_for_port(port)
        settings = {
            "JTAI_S3_BUCKET": "jtai-two-servers",
            "JTAI_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "JTAI_S3_REGION": "eu-west-2",
            "AWS_ACCESS_KEY_ID": "two-servers",
            "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(20),
        }
        bucket = boto3.resource(
            "s3",
            endpoint_url=settings["JTAI_S3_ENDPOINT_URL"],
            region_name=settings["JTAI_S3_REGION"],
            aws_access_key_id=settings["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=settings["AWS_SECRET_ACCESS_KEY"],
        ).Bucket(settings["JTAI_S3_BUCKET"])
        bucket.create(CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        yield bucket, settings
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


@pytest.fixture
def deployment(redis_url, s3_bucket, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("Two app servers share a PostgreSQL database")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    bucket, s3_settings = s3_bucket
    shared = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JTAI_", "DJANGO_", "PYTEST_", "AWS_", "TMP", "TEMP"))
    } | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "JTAI_JOBS_BACKEND": "rq",
        **s3_settings,
        "JTAI_EXPORT_QUIET_SECONDS": "1",
        # Debug on only so that the static files come from the finders (no collectstatic).
        "DJANGO_DEBUG": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    machines = [tmp_path / name for name in ("first", "second", "worker")]

    def own_folders(machine):
        """What each machine keeps to itself: a media folder and a temporary folder,
        both of which must stay empty."""
        (machine / "tmp").mkdir(parents=True)
        return shared | {"JTAI_MEDIA_ROOT": str(machine / "media"), "TMPDIR": str(machine / "tmp")}

    processes, ports = [], []
    try:
        for machine in machines[:2]:
            port = free_port()
            server = [BIN / "gunicorn", "jtai_tracker.wsgi", "-b", f"127.0.0.1:{port}"]
            processes.append(start(server, own_folders(machine)))
            ports.append(port)
        worker = [sys.executable, "manage.py", "rqworker", "default", *RQ_WORKER_OPTIONS]
        processes.append(start(worker, own_folders(machines[2])))
        for port in ports:
            wait_for(port)
        yield Deployment([f"http://127.0.0.1:{port}" for port in ports], bucket, machines)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@dataclass
class Deployment:
    servers: list[str]
    bucket: object  # boto3's Bucket
    machines: list[Path]  # each process's own folders

    def stored(self) -> list[str]:
        return sorted(item.key for item in self.bucket.objects.all())

    def local_files(self) -> list[Path]:
        return [path for machine in self.machines for path in machine.rglob("*") if path.is_file()]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command, env):
    return subprocess.Popen(
        [str(part) for part in command], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )


def wait_for_port(port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"Nothing listens on port {port}")


def wait_for(port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"The app server on port {port} did not start")


class Browser:
    """Cookies and CSRF tokens, as a browser keeps them; the cookies of 127.0.0.1 go to
    both servers, as a balancer's one host name would have them."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, url, data=None, headers=None):
        # Only ever http://127.0.0.1 addresses of the servers this test started.
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:  # 3xx and 4xx come back as errors here
            return error.code, error.headers, error.read()

    def csrf(self):
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def form(self, url, fields, *, referer):
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": referer}
        return self.request(url, body, headers)

    def upload(self, url, fields, file_field, filename, data, *, referer):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in {**fields, "csrfmiddlewaretoken": self.csrf()}.items()
        ]
        body = (
            "".join(parts).encode()
            + (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}";'
                f' filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
        )
        body += data + f"\r\n--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": referer}
        return self.request(url, body, headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(browser, server):
    browser.request(f"{server}/login/")
    status, headers, _ = browser.form(
        f"{server}/login/",
        {"username": "plan.manager", "password": PASSWORD},
        referer=f"{server}/login/",
    )
    assert status == 302, "signing in failed"


def test_upload_on_one_server_confirm_on_the_other_and_the_worker_renders_the_pdf(
    deployment, stockton, plan_manager
):
    first, second = deployment.servers
    # The servers run with production's password hasher, not the tests' fast one.
    hasher = PBKDF2PasswordHasher()
    plan_manager.password = hasher.encode(PASSWORD, hasher.salt())
    plan_manager.save(update_fields=["password"])
    browser = Browser()
    sign_in(browser, first)

    # Upload on the first server...
    browser.request(f"{first}/plans/import/")
    status, headers, _ = browser.upload(
        f"{first}/plans/import/",
        {"inspection": stockton.inspection.pk},
        "file",
        "neglect-plan.docx",
        small_plan(),
        referer=f"{first}/plans/import/",
    )
    assert status == 302, "the upload was refused"
    preview = headers["Location"]
    (waiting,) = deployment.stored()  # in the bucket, not on the first server's disk
    assert waiting.startswith("media/pending/") and waiting.endswith(".docx")
    status, _, body = browser.request(f"{first}{preview}")
    assert status == 200 and b"Review capacity in the PVP" in body

    # ...and confirm on the second: the file and the session are where it can see them.
    status, headers, _ = browser.form(f"{second}{preview}", {}, referer=f"{second}{preview}")
    assert status == 302, "the confirm was refused"
    plan_id = int(re.search(r"/plans/(\d+)/", headers["Location"]).group(1))
    plan = ActionPlan.objects.get(pk=plan_id)
    tasks = KeyTask.objects.filter(section__plan=plan).values_list("description", flat=True)
    assert any(text.startswith("Review capacity in the PVP") for text in tasks)
    assert deployment.stored() == []

    # A reader asks the first server for the PDF: not ready, so the progress page.
    status, headers, _ = browser.request(f"{first}/plans/{plan_id}/export.pdf")
    assert status == 302 and headers["Location"] == f"/plans/{plan_id}/export/pdf/"

    # The worker renders it; the second server sees it ready; both serve the same file.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        _, _, body = browser.request(f"{second}/plans/{plan_id}/export/pdf/status.json")
        if json.loads(body)["state"] == "ready":
            break
        time.sleep(0.5)
    else:
        pytest.fail("The worker did not render the PDF within two minutes")
    status, headers, from_second = browser.request(f"{second}/plans/{plan_id}/export.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert from_second.startswith(b"%PDF-")
    status, _, from_first = browser.request(f"{first}/plans/{plan_id}/export.pdf")
    assert status == 200 and from_first == from_second

    # Nothing went through a server's own disk.
    assert deployment.local_files() == []
