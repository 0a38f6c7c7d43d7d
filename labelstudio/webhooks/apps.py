from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "labelstudio.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from .subscribers import subscribe_all

        subscribe_all()
