"""Production settings refuse to start unsafely; deploy checks are clean."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "jtai.example.org",
}


def run_manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JTAI_"))}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_fails_loudly():
    result = run_manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


# A request through the whole middleware stack with production settings, as the proxy
# forwards it: with or without its X-Forwarded-Proto header.
REQUEST_THROUGH_THE_PROXY = """
import json
from django.test import Client
client = Client(HTTP_HOST="jtai.example.org")
for proto in ("https", None):
    headers = {"X-Forwarded-Proto": proto} if proto else {}
    for method in ("get", "trace"):
        response = getattr(client, method)("/healthz/", headers=headers)
        print(json.dumps({"proto": proto, "method": method, "status": response.status_code,
                          "headers": dict(response.headers)}))
"""


def test_production_responses_carry_the_security_headers_behind_the_proxy():
    result = run_manage("shell", "-c", REQUEST_THROUGH_THE_PROXY, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    answers = {
        (answer["proto"], answer["method"]): answer
        for answer in map(json.loads, re.findall(r"^\{.*\}$", result.stdout, re.MULTILINE))
    }
    served = answers[("https", "get")]
    assert served["status"] == 200
    headers = served["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert "no-store" in headers["Cache-Control"]
    assert answers[("https", "trace")]["status"] == 405
    # Without the proxy's header the request looks like plain HTTP: sent to HTTPS.
    assert answers[(None, "get")]["status"] == 301
    assert answers[(None, "get")]["headers"]["Location"] == "https://jtai.example.org/healthz/"


def test_a_bad_import_limit_fails_loudly():
    result = run_manage("check", **PRODUCTION, JTAI_IMPORT_MAX_SECONDS="soon")
    assert result.returncode != 0
    assert "JTAI_IMPORT_MAX_SECONDS" in result.stderr
