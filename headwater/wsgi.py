"""WSGI entry point for the application server (gunicorn headwater.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
application = get_wsgi_application()
