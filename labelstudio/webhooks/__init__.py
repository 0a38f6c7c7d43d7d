"""Outgoing webhooks: a platform module (Django app label ``webhooks``) that subscribes to every
event of labelstudio/core/events.py that Label Studio's webhooks document and POSTs it to the URLs
a project's managers registered (docs/architecture.md, "Events")."""
