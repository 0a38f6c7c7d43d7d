"""Celery tasks of webhooks: thin — call the service, let Celery retry transient deliveries."""

from celery import shared_task

from labelstudio.core.http import DELIVERY_RETRY

from . import services

RETRY = DELIVERY_RETRY


# the name predates this app: messages already queued or kept in the outbox still find it
@shared_task(name="ml_backends.deliver_webhook", acks_late=True, **RETRY)
def deliver_webhook(webhook_id: int, body: dict) -> str:
    return services.webhook_deliver(webhook_id=webhook_id, body=body)


@shared_task(name="webhooks.process_completion_event", acks_late=True)
def process_completion_event(project_id: int, event: str, annotation: dict) -> dict:
    return {"webhooks": services.completion_event_process(project_id=project_id, event=event, annotation=annotation)}
