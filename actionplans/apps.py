from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = "Action plans"

    def ready(self):
        from .exports import prerender

        # A saved change to a plan queues its PDF's background render (exports/prerender.py).
        prerender.connect_signals()
