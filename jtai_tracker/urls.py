"""Root URLs: the apps' own URL modules, login and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from actionplans.views.your_tasks import SignInView

from .health import healthz

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("", include("inspections.urls")),
    path("", include("actionplans.urls")),
]
