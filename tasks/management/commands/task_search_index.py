"""Rebuild (default) or drop the task text-search index (tasks/search_index.py). Rebuilding indexes
every project's tasks now, in batches; normally a job does it after each import. Search works
without the index, as a scan."""

from django.core.management.base import BaseCommand

from tasks import search_index


class Command(BaseCommand):
    help = "Rebuild (default) or --drop the task text-search index."

    def add_arguments(self, parser):
        parser.add_argument("--drop", action="store_true", help="drop the index (search becomes a scan)")
        parser.add_argument(
            "--no-fill", action="store_true", help="create it empty; the job fills each project after its next import"
        )

    def handle(self, *args, **opts):
        done = search_index.rebuild(drop_only=opts["drop"], fill=not opts["no_fill"])
        present = search_index.schema_present()
        self.stdout.write(
            f"search index {'dropped' if opts['drop'] else 'rebuilt'}: present {present}, {done} tasks indexed"
        )
