from django.urls import path

from .views import export_docx, plan_import, plans

urlpatterns = [
    path("", plans.home, name="home"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    # Word in, Word out (issue 6)
    path("plans/import/", plan_import.upload, name="plan_import"),
    path("plans/import/<slug:token>/", plan_import.preview, name="plan_import_preview"),
    path(
        "plans/<int:plan_id>/export.docx",
        export_docx.plan_export_docx,
        name="plan_export_docx",
    ),
]
