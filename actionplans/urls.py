from django.urls import path

from .boardpacks import views as board_packs
from .editing import views as editing
from .evidence import views as evidence
from .reminders import views as reminders
from .views import (
    completion,
    dashboard,
    export_docx,
    exports,
    meetings,
    plan_import,
    plans,
    task_list,
    tasks,
    your_tasks,
)

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
    # The board's dashboard (issue 4)
    path("plans/<int:plan_id>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("plans/<int:plan_id>/tasks/", task_list.task_list, name="task_list"),
    path("plans/<int:plan_id>/tasks.csv", task_list.task_list_csv, name="task_list_csv"),
    path("plans/<int:plan_id>/tasks.xlsx", task_list.task_list_xlsx, name="task_list_xlsx"),
    path("plans/<int:plan_id>/meetings/", meetings.board_meetings, name="board_meetings"),
    path(
        "plans/<int:plan_id>/meetings/<int:meeting_id>/remove/",
        meetings.board_meeting_delete,
        name="board_meeting_delete",
    ),
    # The plan's whole life in the app (issue 10): start, edit, agree, submit, close.
    path("inspections/<int:inspection_id>/plans/new/", editing.plan_start, name="plan_start"),
    path("plans/<int:plan_id>/edit/", editing.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/edit/details/", editing.plan_details, name="plan_details"),
    path("plans/<int:plan_id>/edit/sections/add/", editing.section_add, name="section_add"),
    path(
        "plans/<int:plan_id>/edit/sections/<int:section_id>/",
        editing.section_edit,
        name="section_edit",
    ),
    path(
        "plans/<int:plan_id>/edit/sections/<int:section_id>/move/",
        editing.section_move,
        name="section_move",
    ),
    path(
        "plans/<int:plan_id>/edit/sections/<int:section_id>/remove/",
        editing.section_remove,
        name="section_remove",
    ),
    path(
        "plans/<int:plan_id>/edit/sections/<int:section_id>/tasks/add/",
        editing.task_add,
        name="task_add",
    ),
    path("plans/<int:plan_id>/edit/tasks/<int:task_id>/", editing.task_edit, name="task_edit"),
    path("plans/<int:plan_id>/edit/tasks/<int:task_id>/move/", editing.task_move, name="task_move"),
    path(
        "plans/<int:plan_id>/edit/tasks/<int:task_id>/remove/",
        editing.task_remove,
        name="task_remove",
    ),
    path("plans/<int:plan_id>/agree/", editing.plan_agree, name="plan_agree"),
    path("plans/<int:plan_id>/submit/", editing.plan_submit, name="plan_submit"),
    path("plans/<int:plan_id>/close/", editing.plan_close, name="plan_close"),
    path("plans/<int:plan_id>/submitted.pdf", editing.submitted_pdf, name="plan_submitted_pdf"),
    path("plans/<int:plan_id>/history/", editing.plan_history, name="plan_history"),
    path("plans/<int:plan_id>/agencies/", editing.agency_aliases, name="agency_aliases"),
    # The board-ready PDF (issue 5)
    path("plans/<int:plan_id>/export.pdf", exports.plan_export_pdf, name="plan_export_pdf"),
    path(
        "plans/<int:plan_id>/export/pdf/",
        exports.plan_export_pdf_progress,
        name="plan_export_pdf_progress",
    ),
    path(
        "plans/<int:plan_id>/export/pdf/status.json",
        exports.plan_export_pdf_status,
        name="plan_export_pdf_status",
    ),
    # The board cycle (issue 12): evidence, confirmed completion, board packs, email choices
    path("tasks/<int:task_id>/evidence/", evidence.evidence_add, name="evidence_add"),
    path("evidence/<int:evidence_id>/", evidence.evidence_download, name="evidence_download"),
    path("tasks/<int:task_id>/completion/", completion.task_completion, name="task_completion"),
    path("plans/<int:plan_id>/board-packs/", board_packs.board_packs, name="board_packs"),
    path(
        "plans/<int:plan_id>/board-packs/<int:pack_id>/", board_packs.board_pack, name="board_pack"
    ),
    path(
        "plans/<int:plan_id>/board-packs/<int:pack_id>/download/",
        board_packs.board_pack_download,
        name="board_pack_download",
    ),
    path("account/emails/", reminders.email_preferences, name="email_preferences"),
]
