"""The admin is for the site's operators only.

Superusers create areas, agencies, inspections and the first plan manager there;
everyone else works in the app, whose every view goes through the permission door
(`actionplans/access.py`). A staff account without superuser status is refused
like an anonymous one: the admin's sign-in page, nothing read or written. That
keeps the admin out of the access rules altogether: it never has to be scoped to an
area, and model permissions given by mistake open nothing.
"""

from django.contrib import admin


class OperatorsAdminSite(admin.AdminSite):
    site_header = "JTAI Tracker administration"
    site_title = "JTAI Tracker admin"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
