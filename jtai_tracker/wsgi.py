"""WSGI entry point, e.g. `gunicorn jtai_tracker.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jtai_tracker.settings")
application = get_wsgi_application()
