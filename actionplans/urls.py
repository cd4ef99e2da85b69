from django.urls import path

from .views import exports, plans

urlpatterns = [
    path("", plans.home, name="home"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/export.pdf", exports.plan_export_pdf, name="plan_export_pdf"),
]
