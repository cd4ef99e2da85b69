"""The board's dashboard for one plan: where it stands, what changed, what is late.

The page's body is the same for everyone who may see the plan and costs a dozen
queries to work out, while a whole board opens the same dashboard around a meeting:
it is rendered once and cached under a key that changes with the plan's data.
"""

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from inspections import clock

from ..access import can_manage_plan, get_plan_for_user
from ..dashboard import BODY_CACHE_SECONDS, Dashboard
from ..filters import ComparisonForm
from ..models import ActionPlan


def dashboard(request, plan_id):
    plans = ActionPlan.objects.with_content_version()  # for the cache key, with the plan
    plan = get_plan_for_user(request.user, plan_id, plans=plans)
    today = clock.today()
    form = ComparisonForm(request.GET, today=today)
    board = Dashboard(plan, since=form.day(), today=today)
    context = {
        "plan": plan,
        "area": plan.inspection.area,
        "board": board,
        "form": form,
        "list_url": reverse("task_list", args=[plan.pk]),
    }
    if form.errors:  # shows what the user typed: not worth keeping
        body = render_to_string("actionplans/_dashboard_body.html", context)
    else:
        body = cache.get_or_set(
            # The form shows what was asked for, so that is part of the key too.
            board.cache_key(*(request.GET.get(name, "") for name in ComparisonForm.INPUTS)),
            lambda: render_to_string("actionplans/_dashboard_body.html", context),
            BODY_CACHE_SECONDS,
        )
    context |= {"body": body, "can_manage": can_manage_plan(request.user, plan)}
    return render(request, "actionplans/dashboard.html", context)
