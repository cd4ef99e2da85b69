"""The board packs of a plan: asking for one, watching it being made, downloading it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from inspections import clock

from ..access import can_manage_plan, get_board_pack_for_user, get_plan_for_user
from .build import filename
from .models import BoardPack


class BoardPackForm(forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which board meeting is the pack for?",
        error_messages={
            "required": "Select the board meeting the pack is for",
            "invalid_choice": "Select one of the meetings listed",
        },
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = meetings  # what a posted choice is checked against
        # The radios, from one query (a model choice iterator would count them first).
        self.meetings = list(meetings)
        field.choices = [
            (m.pk, f"{m.date:%-d %B %Y}" + (f" ({m.title})" if m.title else ""))
            for m in self.meetings
        ]


def board_packs(request, plan_id):
    """Everyone who may read the plan sees its packs; its plan managers make them."""
    plan = get_plan_for_user(request.user, plan_id)
    can_make = can_manage_plan(request.user, plan)
    if request.method == "POST" and not can_make:
        raise PermissionDenied("Only the area's plan managers make board packs.")
    meetings = plan.inspection.area.board_meetings.filter(date__gte=clock.today()).order_by("date")
    form = (
        BoardPackForm(request.POST if request.method == "POST" else None, meetings=meetings)
        if can_make
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        pack = BoardPack.objects.create(
            plan=plan,
            meeting=form.cleaned_data["meeting"],
            requested_by=request.user,
            requested_at=clock.now(),
        )
        from ..jobs import make_board_pack

        make_board_pack.enqueue(pack.pk)
        return redirect(pack)
    packs = plan.board_packs.select_related("meeting")
    return render(
        request,
        "actionplans/board_packs.html",
        {
            "plan": plan,
            "area": plan.inspection.area,
            "packs": packs,
            "form": form,
            "has_meetings": form is not None and bool(form.meetings),
        },
    )


@require_GET
def board_pack(request, plan_id, pack_id):
    plan, pack = get_board_pack_for_user(request.user, plan_id, pack_id)
    return render(
        request,
        "actionplans/board_pack.html",
        {"plan": plan, "area": plan.inspection.area, "pack": pack},
    )


@require_GET
def board_pack_download(request, plan_id, pack_id):
    plan, pack = get_board_pack_for_user(request.user, plan_id, pack_id)
    if pack.status != BoardPack.Status.READY:
        messages.info(request, "The board pack is not ready yet.")
        return redirect(pack)
    response = FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=filename(pack),
        content_type="application/pdf",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
