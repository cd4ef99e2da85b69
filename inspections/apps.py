from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Inspections"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .people.accounts import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="jtai_note_sign_in")
