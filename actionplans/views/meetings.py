"""The area's board meetings, recorded by its plan managers, from a plan's dashboard."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from inspections import clock
from inspections.forms import BoardMeetingForm

from ..access import get_board_meeting_for_user, get_plan_for_user
from ..ratings import Meetings


def board_meetings(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id, manage=True)
    area = plan.inspection.area
    today = clock.today()
    form = BoardMeetingForm(
        request.POST if request.method == "POST" else None, area=area, today=today
    )
    if form.is_valid() and (meeting := form.save()):
        messages.success(request, f"Board meeting on {meeting.date:%-d %B %Y} recorded")
        return redirect("board_meetings", plan.pk)
    return render(
        request,
        "actionplans/board_meetings.html",
        {
            "plan": plan,
            "area": area,
            "form": form,
            "meetings": Meetings.for_area(area.pk, today),
        },
    )


@require_POST
def board_meeting_delete(request, plan_id, meeting_id):
    plan, meeting = get_board_meeting_for_user(request.user, plan_id, meeting_id)
    meeting.delete()
    messages.success(request, f"Board meeting on {meeting.date:%-d %B %Y} removed")
    return redirect("board_meetings", plan.pk)
