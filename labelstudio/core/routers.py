"""A router whose routes match with or without the trailing slash, as Label Studio's API does
(its clients call both ``/api/projects/1`` and ``/api/projects/1/``)."""

from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    def __init__(self):
        super().__init__(use_regex_path=True)
        self.trailing_slash = "/?"
