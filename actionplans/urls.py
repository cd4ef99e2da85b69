from django.urls import path

from .views import plans, tasks, your_tasks

urlpatterns = [
    path("", plans.home, name="home"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("tasks/", your_tasks.your_tasks, name="your_tasks"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/update/", tasks.task_update, name="task_update"),
]
