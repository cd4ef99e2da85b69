from django.contrib.admin.apps import AdminConfig


class OperatorsAdminConfig(AdminConfig):
    """django.contrib.admin with the site for operators only (jtai_tracker.admin)."""

    default_site = "jtai_tracker.admin.OperatorsAdminSite"
