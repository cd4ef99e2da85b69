from django.urls import include, path

from . import views

urlpatterns = [
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection_detail"),
    path("", include("inspections.people.urls")),
]
