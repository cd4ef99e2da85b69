from django.urls import path

from .views import dashboard, meetings, plans, task_list

urlpatterns = [
    path("", plans.home, name="home"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
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
]
