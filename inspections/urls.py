from django.urls import path

from . import views

urlpatterns = [
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection_detail"),
]
