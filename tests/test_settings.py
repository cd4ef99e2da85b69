"""Production settings refuse to start unsafely; deploy checks are clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="jtai.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
