from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "labelstudio.core"
    label = "core"
    verbose_name = "Platform core"
