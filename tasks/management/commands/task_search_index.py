"""Rebuild (default) or drop the task text-search index (tasks/search_index.py). Rebuilding indexes
every project's tasks now, in batches; normally a job does it after each import. Search works
without the index, as a scan."""

from django.core.management.base import BaseCommand

from tasks import search_index


class Command(BaseCommand):
    help = "Rebuild (default) or --drop the task text-search index."

    def add_arguments(self, parser):
        parser.add_argument("--drop", action="store_true", help="drop the index (search becomes a scan)")

    def handle(self, *args, **opts):
        done = search_index.rebuild(drop_only=opts["drop"])
        present = search_index.schema_present()
        self.stdout.write(
            f"search index {'dropped' if opts['drop'] else 'rebuilt'}: present {present}, {done} tasks indexed"
        )
