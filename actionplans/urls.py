from django.urls import path

from .views import plans

urlpatterns = [
    path("", plans.home, name="home"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
]
