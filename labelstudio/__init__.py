"""The labelstudio Django project. Importing it loads the Celery app (the standard idiom)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
