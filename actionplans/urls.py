from django.urls import path

from .views import export_docx, plan_import, plans, tasks, your_tasks

urlpatterns = [
    path("", plans.home, name="home"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("tasks/", your_tasks.your_tasks, name="your_tasks"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/update/", tasks.task_update, name="task_update"),
    # Word in, Word out
    path("plans/import/", plan_import.upload, name="plan_import"),
    path("plans/import/<slug:token>/", plan_import.preview, name="plan_import_preview"),
    path(
        "plans/<int:plan_id>/export.docx",
        export_docx.plan_export_docx,
        name="plan_export_docx",
    ),
]
