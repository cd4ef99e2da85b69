"""Add an inspection from its letter: upload, check the preview, confirm. Plan managers of
the area (and superusers, for any area) only.

The letter is read while the upload is validated (in a child process with limits), and
what was read waits in the app's storage under a token kept in the user's session
(inspections.pending) until the plan manager confirms; nothing is written before that.
Pointed at an existing inspection (`?inspection=<id>`), the same flow adds the findings it
does not have yet.
"""

import json
from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from ..access import areas_for_letters, get_inspection_for_letter
from ..models import Inspection, PendingUpload
from ..pending import PendingStore
from ..uploads import UploadLimit
from . import services
from .forms import InspectionFromLetterForm, LetterUploadForm
from .result import LetterReading
from .text import MAX_BYTES

store = PendingStore(PendingUpload.Kind.LETTER, "letter_imports", ".json")
# How long a second "Confirm" (a double click) waits for the first one to finish.
DOUBLE_CONFIRM_WAIT_SECONDS = 10


def _inspection_from_query(request):
    wanted = request.GET.get("inspection") or request.POST.get("inspection")
    if not wanted:
        return None
    if not wanted.isdigit():
        raise Http404("No such inspection.")
    return get_inspection_for_letter(request.user, int(wanted))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def upload(request):
    # The size limit has to be in place before anything reads the request body, and the
    # CSRF check reads it: so this view checks CSRF itself, just below.
    request.upload_handlers.insert(0, UploadLimit(request, limit=MAX_BYTES))
    return _upload(request)


@csrf_protect
def _upload(request):
    areas_for_letters(request.user)  # 403 for anyone who manages no area
    inspection = _inspection_from_query(request)
    if request.method == "POST":
        form = LetterUploadForm(
            request.POST,
            request.FILES,
            upload_too_large=getattr(request, "upload_too_large", False),
        )
        if form.is_valid():
            pending = store.save(
                request,
                json.dumps(form.reading.to_transport(), default=date.isoformat).encode(),
                inspection_id=inspection.pk if inspection else None,
                filename=form.cleaned_data["file"].name[:200],
            )
            return redirect("letter_preview", token=pending.token)
    else:
        form = LetterUploadForm()
    return render(
        request, "inspections/letters/upload.html", {"form": form, "inspection": inspection}
    )


def _reading(data: bytes) -> LetterReading:
    return LetterReading.from_transport(json.loads(data))


@require_http_methods(["GET", "POST"])
def preview(request, token):
    areas = areas_for_letters(request.user)
    pending = store.load(request, token)
    if pending is None:
        raise Http404("No letter is waiting under this address.")
    inspection_id = pending.meta.get("inspection_id")
    inspection = get_inspection_for_letter(request.user, inspection_id) if inspection_id else None
    data = pending.read()
    if data is None:
        return _already_done(request, pending)
    reading = _reading(data)
    recorded = services.already_recorded(inspection, reading.findings)
    form_kwargs = {
        "areas": areas,
        "reading": reading,
        "inspection": inspection,
        "recorded": recorded,
    }
    if request.method == "POST":
        form = InspectionFromLetterForm(request.POST, **form_kwargs)
        if form.is_valid():
            if pending.claim() is None:
                return _already_done(request, pending)
            try:
                result = _write(request, form, reading, inspection)
            except Exception:
                pending.unclaim()  # nothing was written (one transaction): let them retry
                raise
            # The token stays in the session: a repeated confirm finds what was made.
            pending.finish(str(result.pk))
            return redirect(result)
    else:
        form = InspectionFromLetterForm(**form_kwargs)
    same_letter = []
    if inspection is None and reading.letter_date:
        # Someone may have added this letter already: offer to add to that inspection.
        same_letter = list(
            Inspection.objects.filter(
                area__in=areas, letter_published=reading.letter_date
            ).select_related("area")
        )
    return render(
        request,
        "inspections/letters/preview.html",
        {
            "same_letter": same_letter,
            "form": form,
            "reading": reading,
            "inspection": inspection,
            "filename": pending.meta.get("filename"),
            "recorded_count": len(recorded),
        },
    )


def _write(request, form, reading, inspection):
    chosen = form.chosen_findings()
    if inspection is not None:
        added = services.add_findings(user=request.user, inspection=inspection, findings=chosen)
        messages.success(
            request,
            f"{len(added)} finding{'s' if len(added) != 1 else ''} added from the letter.",
        )
        return inspection
    created = _create_inspection(request, form, chosen, reading.inspectorates)
    messages.success(
        request,
        f"Inspection added from the letter with {len(chosen)} finding"
        f"{'s' if len(chosen) != 1 else ''}.",
    )
    return created


def _create_inspection(request, form, findings, inspectorate_codes):
    data = form.cleaned_data
    return services.create_inspection(
        user=request.user,
        area=data["area"],
        findings=findings,
        inspectorate_codes=inspectorate_codes,
        theme=data["theme"],
        fieldwork_start=data["fieldwork_start"],
        fieldwork_end=data["fieldwork_end"],
        letter_published=data["letter_published"],
        report_received=data["report_received"],
        statement_due_stated=data["statement_due_stated"],
    )


def _already_done(request, pending):
    """A second confirm of the same letter: show what the first one made."""
    done = pending.result(wait_seconds=DOUBLE_CONFIRM_WAIT_SECONDS)
    if done:
        inspection = get_object_or_404(Inspection.objects.visible_to(request.user), pk=int(done))
        messages.info(request, "This letter has already been added: nothing was added twice.")
        return redirect(inspection)
    messages.error(
        request,
        "The letter you uploaded is no longer waiting to be added. Upload it again.",
    )
    return redirect("letter_upload")


@require_http_methods(["GET", "POST"])
def by_hand(request):
    """Add an inspection without reading a letter (a scanned letter has no text to read):
    its details now, its findings later."""
    areas = areas_for_letters(request.user)
    if request.method == "POST":
        form = InspectionFromLetterForm(request.POST, areas=areas)
        if form.is_valid():
            inspection = _create_inspection(request, form, [], [])
            messages.success(
                request,
                "Inspection added without findings. An administrator can enter the findings "
                "from the letter in the admin.",
            )
            return redirect(inspection)
    else:
        form = InspectionFromLetterForm(areas=areas)
        if areas.count() == 1:
            form.initial["area"] = areas.first()
    return render(request, "inspections/letters/by_hand.html", {"form": form})
