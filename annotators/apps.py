from django.apps import AppConfig


class AnnotatorsConfig(AppConfig):
    name = "annotators"
