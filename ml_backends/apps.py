from django.apps import AppConfig


class MlBackendsConfig(AppConfig):
    name = "ml_backends"
    verbose_name = "ML backends"

    def ready(self) -> None:
        from .subscribers import subscribe_all

        subscribe_all()
