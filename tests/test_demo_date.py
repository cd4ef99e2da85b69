"""The demo runs as at a chosen date, says so on every page, and looks as it did then."""

from datetime import date

from django.core.management import call_command
from django.urls import reverse

from actionplans.models import ActionPlan
from inspections import clock

BANNER = "Demo: as at 1 February 2019"


def test_the_demo_date_is_shown_on_every_page_and_used_for_today(
    client, db, settings, django_user_model
):
    settings.DEBUG = True
    settings.DEMO_DATE = date(2019, 2, 1)
    call_command("seed_demo", "--sample-progress", verbosity=0)
    assert clock.today() == date(2019, 2, 1)
    client.force_login(django_user_model.objects.get(username="board.member"))
    plan = ActionPlan.objects.get()
    pages = [
        reverse("home"),
        plan.get_absolute_url(),
        reverse("dashboard", args=[plan.pk]),
        reverse("task_list", args=[plan.pk]),
        reverse("plan_history", args=[plan.pk]),
        reverse("your_tasks"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert BANNER in html, url
    # As the partnership saw it then: the plan submitted, not "years overdue"; the
    # dashboard compares with the board's last meeting before that day.
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Submitted" in html and "Overdue" not in html
    dashboard = client.get(reverse("dashboard", args=[plan.pk])).content.decode()
    assert "17 January 2019" in dashboard
    client.logout()
    assert BANNER in client.get(reverse("login")).content.decode()


def test_real_use_shows_no_demo_banner(client, stockton, plan_manager, settings):
    settings.DEMO_DATE = None
    client.force_login(plan_manager)
    assert "Demo: as at" not in client.get(reverse("home")).content.decode()
