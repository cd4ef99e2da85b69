"""Import a plan from Word: upload, check the preview, confirm. Plan managers only.

Nothing is written until the plan manager confirms on the preview page. Between the
two steps the file waits in the app's storage under a token kept in the user's session
(imports.pending), where any app server finds it; the confirm step parses it again rather
than trusting anything the browser sends back.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from ..access import get_plan_for_user, inspections_for_import
from ..editing.services import StalePlan
from ..imports import pending as pending_imports
from ..imports.files import ImportRefused
from ..imports.forms import PlanImportForm
from ..imports.merge import apply_import, diff_plan, load_plan
from ..imports.services import import_plan, read_plan
from ..imports.uploads import UploadTooLarge


@csrf_exempt
@require_http_methods(["GET", "POST"])
def upload(request):
    # The size limit has to be in place before anything reads the request body, and
    # the CSRF check reads it: so this view checks CSRF itself, just below.
    request.upload_handlers.insert(0, UploadTooLarge(request))
    return _upload(request)


@csrf_protect
def _upload(request):
    inspections = inspections_for_import(request.user)
    if request.method == "POST":
        form = PlanImportForm(
            request.POST,
            request.FILES,
            inspections=inspections,
            upload_too_large=getattr(request, "upload_too_large", False),
        )
        if form.is_valid():
            pending = pending_imports.save(
                request,
                form.file_bytes,
                inspection_id=form.cleaned_data["inspection"].pk,
                filename=form.cleaned_data["file"].name,
            )
            return redirect("plan_import_preview", token=pending.token)
    else:
        choices = list(inspections)
        wanted = request.GET.get("inspection", "")
        initial = next((i for i in choices if str(i.pk) == wanted), None)
        if initial is None and len(choices) == 1:
            initial = choices[0]
        form = PlanImportForm(inspections=inspections, initial={"inspection": initial})
    return render(
        request,
        "actionplans/import/upload.html",
        {"form": form, "has_inspections": inspections.exists()},
    )


@require_http_methods(["GET", "POST"])
def preview(request, token):
    inspections = inspections_for_import(request.user)
    pending = pending_imports.load(request, token)
    if pending is None:
        raise Http404("No upload is waiting under this address.")
    inspection = get_object_or_404(inspections, pk=pending.meta["inspection_id"])
    data = pending.claim() if request.method == "POST" else pending.read()
    try:
        if data is None:
            raise ImportRefused(
                "The uploaded file is no longer here: it may have been imported already. "
                "Check the plans of the inspection, or upload the file again."
            )
        parsed = read_plan(data, inspection)
    except ImportRefused as refused:
        pending_imports.discard(request, pending)
        messages.error(request, str(refused))
        return redirect("plan_import")
    into = _target_plan(request, inspection)
    if into is not None:
        return _into_plan(request, pending, parsed, into)
    if request.method == "POST":
        try:
            plan = import_plan(parsed=parsed, inspection=inspection, user=request.user)
        except Exception:
            pending.unclaim()  # nothing was written (one transaction): let them retry
            raise
        pending_imports.discard(request, pending)
        tasks, sections = len(parsed.tasks), len(parsed.sections)
        messages.success(
            request,
            f"Plan imported from {pending.meta['filename']}: {tasks} key task{'s' if tasks != 1 else ''} "
            f"in {sections} section{'s' if sections != 1 else ''}.",
        )
        return redirect(plan)
    return render(
        request,
        "actionplans/import/preview.html",
        {
            "parsed": parsed,
            "inspection": inspection,
            "filename": pending.meta["filename"],
            "existing_plans": list(inspection.plans.all()),
        },
    )


def _target_plan(request, inspection):
    """The existing plan to import into (?into= on the preview), through the door."""
    wanted = request.POST.get("into") or request.GET.get("into")
    if not wanted:
        return None
    if not str(wanted).isdigit():
        raise Http404("No such plan.")
    plan = get_plan_for_user(request.user, wanted, manage=True)
    if plan.inspection_id != inspection.pk:
        raise Http404("That plan answers another inspection.")
    return plan


def _into_plan(request, pending, parsed, plan):
    """Import into an existing plan: the cell-by-cell diff, then the recorded changes."""
    current, sections = load_plan(plan.pk)
    diff = diff_plan(current, sections, parsed)
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            written = apply_import(
                plan_id=plan.pk,
                parsed=parsed,
                user=request.user,
                expected_version=version,
                filename=pending.meta["filename"],
            )
        except StalePlan:
            # Nothing was written: the same upload waits for the next "Apply".
            pending.unclaim()
            messages.error(
                request,
                "The plan changed while you were checking the differences. Check them again "
                "before you apply them.",
            )
            return redirect(f"{request.path}?into={plan.pk}")
        except Exception:
            pending.unclaim()
            raise
        pending_imports.discard(request, pending)
        messages.success(
            request,
            f"{current.title} updated from {pending.meta['filename']}: "
            f"{written} change{'s' if written != 1 else ''} recorded in its history.",
        )
        return redirect(current)
    return render(
        request,
        "actionplans/import/into_plan.html",
        {
            "plan": current,
            "inspection": current.inspection,
            "parsed": parsed,
            "diff": diff,
            "filename": pending.meta["filename"],
        },
    )
