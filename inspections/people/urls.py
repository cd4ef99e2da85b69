from django.urls import path

from . import views

urlpatterns = [
    path("people/", views.people_home, name="people_home"),
    path("areas/<int:area_id>/people/", views.people, name="people"),
    path("areas/<int:area_id>/people/invite/", views.invite, name="people_invite"),
    path(
        "areas/<int:area_id>/people/<int:membership_id>/change/",
        views.change_role,
        name="people_change_role",
    ),
    path(
        "areas/<int:area_id>/people/<int:membership_id>/remove/",
        views.remove_role,
        name="people_remove_role",
    ),
    path(
        "areas/<int:area_id>/people/invitations/<int:invitation_id>/withdraw/",
        views.withdraw_invitation,
        name="people_withdraw_invitation",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
