""" "Your tasks": where an agency lead starts, and where signing in takes them.

A lead comes to the tool to bring their rows up to date before a board meeting, so
after signing in they land on every key task their agency leads, across every plan,
with what is overdue or due by the next meeting. Plan managers see their area's tasks
here too; board members, who update nothing, are pointed to the plans.
"""

from django.contrib.auth.views import LoginView
from django.shortcuts import render, resolve_url

from inspections import clock
from inspections.access import lead_agency_ids

from ..models import ActionPlan, KeyTask


class SignInView(LoginView):
    """The login page; leads go on to their tasks unless a `next` page was asked for."""

    def get_default_redirect_url(self):
        if lead_agency_ids(self.request.user):
            return resolve_url("your_tasks")
        return super().get_default_redirect_url()


def your_tasks(request):
    today = clock.today()
    tasks = (
        KeyTask.objects.editable_by(request.user)
        .with_due_future_actions(today)
        .select_related("section__plan__inspection__area", "updated_by")
        .order_by(
            "section__plan__inspection__area__name",
            "-section__plan__inspection__letter_published",
            "section__plan_id",
            "section__position",
            "position",
        )
    )
    tasks = list(tasks)
    context = {"tasks": tasks, "today": today}
    if not tasks:
        # Board members and people without a role: point them to what they can read.
        context["plans"] = ActionPlan.objects.visible_to(request.user).select_related(
            "inspection__area"
        )
    return render(request, "actionplans/your_tasks.html", context)
