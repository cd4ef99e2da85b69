"""Security headers on every kind of response: a page, a form, each download.

Issue 11, finding 6: no Content-Security-Policy (pages carried inline scripts), no
Permissions-Policy, no Cache-Control on signed-in pages or on the CSV, Excel and Word
downloads, and TRACE and OPTIONS answered 200.
"""

import pytest
from django.urls import reverse


def assert_security_headers(response, *, page=True):
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
    assert response["X-Content-Type-Options"] == "nosniff"
    if not page:
        return  # an empty answer given before any view: there is nothing to frame
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def signed_in(client, plan_manager):
    client.force_login(plan_manager)
    return client


def test_a_page_has_the_security_headers(signed_in, stockton):
    response = signed_in.get(reverse("plan_detail", args=[stockton.pk]))
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_form_has_the_security_headers(signed_in, stockton):
    task = stockton.sections.first().tasks.first()
    response = signed_in.get(reverse("task_update", args=[task.pk]))
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    assert_security_headers(response)


def test_the_sign_in_form_is_not_kept_either(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("task_list_csv", "text/csv"),
        ("task_list_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "plan_export_docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("plan_export_pdf", "application/pdf"),
    ],
)
def test_each_download_has_the_security_headers(signed_in, stockton, name, content_type):
    response = signed_in.get(reverse(name, args=[stockton.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment")
    assert_security_headers(response)


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("signed_in_or_not", [True, False])
def test_only_get_head_and_post_are_answered(
    client, plan_manager, stockton, method, signed_in_or_not
):
    if signed_in_or_not:
        client.force_login(plan_manager)
    for url in [reverse("plan_detail", args=[stockton.pk]), reverse("login"), "/admin/"]:
        response = client.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD, POST"
        assert response.content == b""
        assert_security_headers(response, page=False)
