"""Create or drop the text-search index (pg_trgm GIN on PostgreSQL, FTS5 table + triggers on
SQLite; tasks/search.py). Maintaining it makes imports several times slower (docs/benchmarks.md):
an operator loading millions of tasks can drop it, import, and create it again (a bulk build is
much cheaper than per-row maintenance). Search works without it, as a scan."""

from django.core.management.base import BaseCommand
from django.db import connection

from tasks import search


class Command(BaseCommand):
    help = "Create (default) or --drop the task text-search index."

    def add_arguments(self, parser):
        parser.add_argument("--drop", action="store_true", help="drop the index (search becomes a scan)")

    def handle(self, *args, **opts):
        with connection.cursor() as cursor:
            editor = _Editor(cursor)  # what tasks.search needs of a schema editor (SQLite refuses
            if opts["drop"]:  # a real one inside a transaction)
                search.drop_index(editor)
            else:
                search.create_index(editor)
        self.stdout.write(f"search index {'dropped' if opts['drop'] else 'present'}: {search.index_present()}")


class _Editor:
    def __init__(self, cursor):
        self.connection, self.cursor = connection, cursor

    def execute(self, sql):
        self.cursor.execute(sql)
