"""Links kept once a process (inspections.links) are the links reverse() gives, under
whatever script prefix (SCRIPT_NAME) each request comes in with."""

import re

import pytest
from django.urls import path, reverse, set_script_prefix

from inspections.links import link


@pytest.fixture
def script_prefix():
    """Sets the script prefix as a request under SCRIPT_NAME does; "/" again after."""
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("prefix", ["/", "/jtai/", "/with space/"])
def test_link_is_what_reverse_gives_under_each_prefix(script_prefix, prefix):
    script_prefix(prefix)
    assert link("home") == reverse("home")
    assert link("task_list", 7) == reverse("task_list", args=[7])
    assert link("task_list", 12345) == reverse("task_list", args=[12345])
    assert link("admin:index") == reverse("admin:index")


def get_page(client, path, script_name=""):
    """The page as served under `script_name`: the script prefix set from it, as the
    WSGI handler sets it for each request (the test client sets none)."""
    set_script_prefix(f"{script_name}/")
    response = client.get(path, SCRIPT_NAME=script_name)
    assert response.status_code == 200
    return response.content.decode()


def own_links(html):
    """The page's links to the app's own pages (not to its static files)."""
    return [url for url in re.findall(r'(?:href|action)="(/[^"]*)"', html) if "/static/" not in url]


def test_task_list_and_header_links_keep_the_script_prefix(client, plan_manager, stockton):
    client.force_login(plan_manager)
    path = reverse("task_list", args=[stockton.pk])
    try:
        under_prefix = own_links(get_page(client, path, script_name="/jtai"))
        plain = own_links(get_page(client, path))
    finally:
        set_script_prefix("/")
    assert len(under_prefix) == len(plain) > 20
    for prefixed, bare in zip(under_prefix, plain, strict=True):
        assert prefixed == "/jtai" + bare
    assert f"/jtai{reverse('task_list', args=[stockton.pk])}" in under_prefix
    assert f"/jtai{reverse('people_home')}" in under_prefix  # the header's, for a manager


def _other_home(request):  # pragma: no cover - never called, only reversed
    raise AssertionError


# A URLconf of its own for the test below: "home" at another path.
urlpatterns = [path("elsewhere/", _other_home, name="home")]


def test_a_new_urlconf_setting_makes_new_links(settings):
    assert link("home") == reverse("home") == "/"
    settings.ROOT_URLCONF = "tests.test_links"
    assert link("home") == reverse("home") == "/elsewhere/"
    settings.ROOT_URLCONF = "jtai_tracker.urls"
    assert link("home") == "/"
