from django.urls import include, path

from . import views
from .letters import views as letters

urlpatterns = [
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection_detail"),
    # Add an inspection from its findings letter (issue 9)
    path("inspections/from-letter/", letters.upload, name="letter_upload"),
    path("inspections/from-letter/by-hand/", letters.by_hand, name="letter_by_hand"),
    path("inspections/from-letter/<slug:token>/", letters.preview, name="letter_preview"),
    path("", include("inspections.people.urls")),
]
