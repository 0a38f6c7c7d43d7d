from django.apps import AppConfig


class MlBackendsConfig(AppConfig):
    name = "ml_backends"
    verbose_name = "ML backends"
