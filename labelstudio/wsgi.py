"""WSGI entry point, served by gunicorn (``manage.py start``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelstudio.settings")

application = get_wsgi_application()
