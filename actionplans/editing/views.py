"""The plan manager's pages: start, edit, agree, submit and close a plan; its history.

Views are thin: the door (`actionplans.access`) loads what the user may change, a form
checks the input, a service in `services`/`lifecycle`/`drafting` makes the change. A
change made from an old page (`StalePlan`) re-shows the form with what the user typed
and a message, never a lost edit.
"""

import base64

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from inspections import clock
from inspections.models import AgencyAlias

from ..access import (
    get_inspection_for_manager,
    get_plan_for_user,
    get_plan_task_for_manager,
    get_section_for_manager,
)
from ..models import KeyTask, PlanChange
from . import drafting, lifecycle, services
from .forms import (
    AgencyAliasForm,
    AgreeForm,
    IntroFormSet,
    LeadFormSet,
    PlanDetailsForm,
    RemoveForm,
    SectionForm,
    StartPlanForm,
    SubmitForm,
    TaskForm,
    VersionedForm,
    task_content,
)

# What a service refuses with a message for the user (the form is shown again with it).
REFUSED = (
    lifecycle.WrongStep,
    services.PlanClosed,
    services.CannotRemove,
    services.TaskWithdrawn,
)

STALE = (
    "Someone else changed the plan while you had this page open. Your changes are below, "
    "not yet saved: check the plan, then save again."
)


def _stale(form, error: services.StalePlan):
    """Keep what the user typed, move the form to the current version, say why."""
    data = form.data.copy()
    data["version"] = error.current.version
    form.data = data
    form.add_error(None, STALE)


def _edit_url(plan, anchor=""):
    return reverse("plan_edit", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


def plan_start(request, inspection_id):
    inspection = get_inspection_for_manager(request.user, inspection_id)
    form = StartPlanForm(
        request.POST or None,
        initial={"how": "findings", "title": drafting.default_title(inspection)},
    )
    if request.method == "POST" and form.is_valid():
        plan = drafting.start_plan(
            inspection=inspection,
            user=request.user,
            title=form.cleaned_data["title"],
            from_findings=form.cleaned_data["how"] == "findings",
        )
        messages.success(request, "Draft plan started. Edit it below.")
        return redirect("plan_edit", plan.pk)
    return render(
        request,
        "actionplans/editing/plan_start.html",
        {"inspection": inspection, "form": form, "draft": drafting.draft_from_findings(inspection)},
    )


def plan_edit(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id, manage=True)
    sections = plan.sections.prefetch_related(
        "agencies",
        Prefetch(
            "tasks",
            queryset=KeyTask.objects.order_by("position").prefetch_related(
                "leads__agencies", "findings"
            ),
        ),
    )
    return render(
        request,
        "actionplans/editing/plan_edit.html",
        {
            "plan": plan,
            "inspection": plan.inspection,
            "sections": sections,
            "introduction": plan.introduction.all(),
            "open_tasks": lifecycle.open_tasks(plan).count() if plan.is_submitted else None,
        },
    )


def plan_details(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id, manage=True)
    intro_initial = [{"heading": p.heading, "text": p.text} for p in plan.introduction.all()]
    form = PlanDetailsForm(request.POST or None, initial=PlanDetailsForm.initial_for(plan))
    intro = IntroFormSet(request.POST or None, initial=intro_initial, prefix="intro")
    if request.method == "POST" and form.is_valid() and intro.is_valid():
        paragraphs = [
            (f.cleaned_data.get("heading", "").strip(), f.cleaned_data.get("text", "").strip())
            for f in intro.forms
        ]
        try:
            services.edit_details(
                plan_id=plan.pk,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                details=form.details(),
                introduction=paragraphs,
                reason=form.cleaned_data["reason"],
            )
        except services.StalePlan as error:
            _stale(form, error)
        except services.RatingInUse as error:
            form.add_error("rag_blue_enabled", str(error))
        except REFUSED as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Plan details saved")
            return redirect("plan_edit", plan.pk)
    return render(
        request,
        "actionplans/editing/plan_details.html",
        {"plan": plan, "form": form, "intro": intro},
    )


def section_add(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id, manage=True)
    return _section_form(request, plan, None)


def section_edit(request, plan_id, section_id):
    plan, section = get_section_for_manager(request.user, plan_id, section_id)
    return _section_form(request, plan, section)


def _section_form(request, plan, section):
    area = plan.inspection.area
    initial = {"version": plan.version, "whole_partnership": "no"}
    if section is not None:
        initial |= {
            "title": section.title,
            "whole_partnership": "yes" if section.whole_partnership else "no",
            "agencies": list(section.agencies.all()),
        }
    form = SectionForm(request.POST or None, initial=initial, area=area)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "user": request.user,
            "expected_version": data["version"],
            "title": data["title"].strip(),
            "whole_partnership": data["whole_partnership"],
            "agency_ids": [] if data["whole_partnership"] else [a.pk for a in data["agencies"]],
            "reason": data["reason"],
        }
        try:
            if section is None:
                section = services.add_section(plan_id=plan.pk, **arguments)
            else:
                services.edit_section(section_id=section.pk, **arguments)
        except services.StalePlan as error:
            _stale(form, error)
        except REFUSED as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Section “{section.title}” saved")
            return redirect(_edit_url(plan, f"section-{section.pk}"))
    return render(
        request,
        "actionplans/editing/section_form.html",
        {"plan": plan, "section": section, "form": form},
    )


@require_POST
def section_move(request, plan_id, section_id):
    plan, section = get_section_for_manager(request.user, plan_id, section_id)
    return _move(request, plan, services.move_section, section_id=section.pk, anchor="section")


@require_POST
def task_move(request, plan_id, task_id):
    plan, task = get_plan_task_for_manager(request.user, plan_id, task_id)
    return _move(request, plan, services.move_task, task_id=task.pk, anchor="task")


def _move(request, plan, move, *, anchor, **target):
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        move(
            user=request.user, expected_version=version, up=request.POST.get("up") == "1", **target
        )
    except services.StalePlan:
        messages.error(request, "Someone else changed the plan meanwhile: check it and move again.")
    except REFUSED as error:
        messages.error(request, str(error))
    pk = next(iter(target.values()))
    return redirect(_edit_url(plan, f"{anchor}-{pk}"))


def section_remove(request, plan_id, section_id):
    plan, section = get_section_for_manager(request.user, plan_id, section_id)
    form = RemoveForm(request.POST or None, initial={"version": plan.version})
    return _step(
        request,
        plan,
        form,
        "actionplans/editing/remove.html",
        lambda data: services.remove_section(
            section_id=section.pk,
            user=request.user,
            expected_version=data["version"],
            reason=data["reason"],
        ),
        f"Section “{section.title}” removed",
        extra={"what": "section", "name": section.title},
    )


def task_add(request, plan_id, section_id):
    plan, section = get_section_for_manager(request.user, plan_id, section_id)
    return _task_form(request, plan, section, None)


def task_edit(request, plan_id, task_id):
    plan, task = get_plan_task_for_manager(request.user, plan_id, task_id)
    if task.is_withdrawn:
        raise Http404("This key task is withdrawn: it is kept as it was.")
    return _task_form(request, plan, task.section, task)


def _task_form(request, plan, section, task):
    agencies = plan.inspection.area.agencies.order_by("name")
    initial = {"version": plan.version}
    lead_initial = []
    if task is not None:
        initial |= {
            "description": task.description,
            "success_measures": task.success_measures,
            "findings": list(task.findings.all()),
        }
        lead_initial = [
            {
                "name": lead.name,
                "agencies": list(lead.agencies.all()),
                "all_partners": lead.all_partners,
            }
            for lead in task.leads.all()
        ]
    form = TaskForm(request.POST or None, initial=initial, inspection=plan.inspection)
    leads = LeadFormSet(
        request.POST or None, initial=lead_initial, prefix="leads", agencies=agencies
    )
    if request.method == "POST" and form.is_valid() and leads.is_valid():
        content = task_content(form, leads)
        arguments = {
            "user": request.user,
            "expected_version": form.cleaned_data["version"],
            "content": content,
            "reason": form.cleaned_data["reason"],
        }
        try:
            if task is None:
                task = services.add_task(section_id=section.pk, **arguments)
            else:
                services.edit_task(task_id=task.pk, **arguments)
        except services.StalePlan as error:
            _stale(form, error)
        except REFUSED as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Key task saved")
            return redirect(_edit_url(plan, f"task-{task.pk}"))
    lead_errors = [
        {"href": lead["name"].auto_id, "text": error}
        for lead in leads.forms
        for error in lead.errors.get("name", [])
    ]
    return render(
        request,
        "actionplans/editing/task_form.html",
        {
            "plan": plan,
            "section": section,
            "task": task,
            "form": form,
            "leads": leads,
            "lead_errors": lead_errors,
        },
    )


def task_remove(request, plan_id, task_id):
    plan, task = get_plan_task_for_manager(request.user, plan_id, task_id)
    if task.is_withdrawn:
        raise Http404("This key task is already withdrawn.")
    form = RemoveForm(request.POST or None, initial={"version": plan.version})
    withdraw = services.task_has_history(task)
    return _step(
        request,
        plan,
        form,
        "actionplans/editing/remove.html",
        lambda data: services.remove_task(
            task_id=task.pk,
            user=request.user,
            expected_version=data["version"],
            reason=data["reason"],
        ),
        "Key task withdrawn" if withdraw else "Key task removed",
        extra={"what": "key task", "name": task.description, "withdraw": withdraw},
    )


def plan_agree(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id, manage=True)
    form = AgreeForm(
        request.POST or None,
        initial={"version": plan.version},
        area=plan.inspection.area,
        today=clock.today(),
    )
    return _step(
        request,
        plan,
        form,
        "actionplans/editing/plan_agree.html",
        lambda data: lifecycle.agree(
            plan_id=plan.pk,
            user=request.user,
            expected_version=data["version"],
            meeting_id=data["meeting"].pk,
            reason=data["reason"],
        ),
        "Plan recorded as agreed by the board",
    )


def plan_submit(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id, manage=True)
    today = clock.today()
    form = SubmitForm(
        request.POST or None, initial={"version": plan.version, "submitted_on": today}, today=today
    )
    return _step(
        request,
        plan,
        form,
        "actionplans/editing/plan_submit.html",
        lambda data: lifecycle.submit(
            plan_id=plan.pk,
            user=request.user,
            expected_version=data["version"],
            submitted_on=data["submitted_on"],
            reason=data["reason"],
        ),
        "Plan recorded as submitted; the PDF as submitted is kept",
    )


def plan_close(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id, manage=True)
    form = VersionedForm(request.POST or None, initial={"version": plan.version})
    return _step(
        request,
        plan,
        form,
        "actionplans/editing/plan_close.html",
        lambda data: lifecycle.close(
            plan_id=plan.pk,
            user=request.user,
            expected_version=data["version"],
            reason=data["reason"],
        ),
        "Plan closed",
        extra={"open_tasks": lifecycle.open_tasks(plan).count()},
    )


def _step(request, plan, form, template, act, done, extra=None):
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except services.StalePlan as error:
            _stale(form, error)
        except REFUSED as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("plan_edit", plan.pk)
    return render(request, template, {"plan": plan, "form": form, **(extra or {})})


@require_GET
def submitted_pdf(request, plan_id):
    """The PDF exactly as submitted, for anyone who may read the plan."""
    plan = get_plan_for_user(request.user, plan_id)
    if not plan.submitted_pdf:
        raise Http404("This plan has no submitted PDF.")
    response = FileResponse(
        plan.submitted_pdf.open("rb"),
        as_attachment=True,
        filename=plan.submitted_pdf.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
    # The digest of the file as submitted (RFC 9530), so anyone can check what they got.
    digest = base64.b64encode(bytes.fromhex(plan.submitted_pdf_sha256)).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def plan_history(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id)
    changes = PlanChange.objects.filter(plan=plan).order_by("-created_at", "-pk")
    return render(
        request, "actionplans/editing/plan_history.html", {"plan": plan, "changes": changes}
    )


def agency_aliases(request, plan_id):
    """The names the area's plans use for its agencies, which a Word import matches:
    each agency's name and short name, and other names the plan managers add."""
    plan = get_plan_for_user(request.user, plan_id, manage=True)
    area = plan.inspection.area
    form = AgencyAliasForm(request.POST or None, area=area)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            alias = area.agency_aliases.filter(pk=remove).first()
            if alias is not None:
                alias.delete()
                messages.success(request, f"“{alias.alias}” removed")
            return redirect("agency_aliases", plan.pk)
        if form.is_valid():
            alias = AgencyAlias.objects.create(
                area=area, agency=form.cleaned_data["agency"], alias=form.cleaned_data["alias"]
            )
            messages.success(request, f"“{alias.alias}” now names {alias.agency}")
            return redirect("agency_aliases", plan.pk)
    agencies = area.agencies.order_by("name").prefetch_related(
        Prefetch("aliases", queryset=AgencyAlias.objects.filter(area=area))
    )
    return render(
        request,
        "actionplans/editing/agency_aliases.html",
        {"plan": plan, "area": area, "form": form, "agencies": agencies},
    )
