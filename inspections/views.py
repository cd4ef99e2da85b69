from django.shortcuts import get_object_or_404, render

from .models import Inspection


def get_inspection_for_user(user, inspection_id):
    """The one door for inspections: 404 unless the user may see its area."""
    queryset = Inspection.objects.visible_to(user).select_related("area")
    return get_object_or_404(queryset, pk=inspection_id)


def inspection_detail(request, inspection_id):
    inspection = get_inspection_for_user(request.user, inspection_id)
    findings = inspection.findings.prefetch_related("agencies", "tasks__section")
    plans = inspection.plans.visible_to(request.user)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "inspectorates": inspection.inspectorates.all(),
            "findings": findings,
            "plans": plans,
        },
    )
