"""WSGI entry point for the application server (gunicorn headwater.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
application = get_wsgi_application()

from headwater.core import gcpause  # noqa: E402 (after the application is set up)

gcpause.settle()  # the loaded application out of the collector's sight
