"""The text-search index (what tasks/search.py asks for candidates) and the job that fills it.

The index is kept off the import's path (docs/scaling.md, "Text search"): importing writes task
rows only; a job queued when the import commits copies the new tasks' text into the index in
batches and moves the project's watermark (``TaskSearchMark.indexed_through``) up. A search asks
the index for tasks up to the watermark and reads the few tasks above it plainly.

- PostgreSQL: ``tasks_tasksearch (task_id, project_id, text)``, ``text`` = ``data::text``, with a
  ``pg_trgm`` GIN index over ``UPPER(text)`` (the expression the filter's LIKE uses). A trigger
  on tasks_task upserts the row when a task's data (or project) changes, so an indexed task is
  never stale; deleting (or truncating) tasks deletes their rows. Either moves the project's
  ``TaskSearchMark.version`` (once per transaction), which keys its cached matches.
- SQLite: an FTS5 table (``trigram`` tokenizer) over tasks_task's ``data`` (external content),
  with triggers that follow changes and deletes of the tasks it holds (and only those: a delete
  command for a row FTS5 never saw would corrupt it).

Invariant: every task of a project with ``id <= indexed_through`` has its current text in the
index. The job reads a ceiling (the project's highest task id) only once no transaction that may
still insert tasks below it is open: on PostgreSQL it takes ``SHARE`` on tasks_task for that one
read (waits for open writers, never long: ``lock_timeout``, then retried), and the import writer
holds ``ROW EXCLUSIVE`` before it reserves ids; SQLite serialises writers.
"""

from __future__ import annotations

from django.db import DatabaseError, connection, transaction

SIDE_TABLE = "tasks_tasksearch"
TRGM_INDEX = "tasks_tasksearch_trgm_idx"
TRGM_STATISTICS = 1000
SYNC_TRIGGER = "tasks_task_search_sync"  # (+ _delete, _truncate) the import writer's foreign-key shortcut
# ignores these: none fires on INSERT
CHANGED_FUNCTION = "tasks_task_search_changed"  # (project id): the project's matches may have changed
FTS_TABLE = "tasks_task_fts"
LEGACY_TRGM_INDEX = "task_data_trgm_idx"  # before tasks.0007: GIN over tasks_task itself (slowed imports 63%)

#: tasks per batch (one transaction each): SQLite's writers wait for each, so smaller there
BATCH = {"postgresql": 20_000, "sqlite": 2_000}
#: how long the job waits for open writers of tasks_task before it tries again later
CEILING_LOCK_TIMEOUT_MS = 200
#: refresh the planner's statistics of the index text after this many new rows
ANALYZE_AFTER = 10_000


# --- schema ----------------------------------------------------------------------------------------
def create_schema(schema_editor) -> None:
    """Create what is missing (idempotent). Marks are not touched: see ``rebuild``."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql" and _trgm_extension(schema_editor):
        for statement in _PG_SCHEMA:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        _create_fts(schema_editor)


def drop_schema(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for suffix in ("", "_delete", "_truncate"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {SYNC_TRIGGER}{suffix} ON tasks_task")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {SYNC_TRIGGER}()")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {CHANGED_FUNCTION}(bigint)")
        schema_editor.execute(f"DROP TABLE IF EXISTS {SIDE_TABLE}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {LEGACY_TRGM_INDEX}")
    elif vendor == "sqlite":
        for trigger in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def upgrade_schema(schema_editor) -> None:
    """tasks.0007: from the index on tasks_task (kept row by row, on the import's path) to this one.
    PostgreSQL: the old GIN index goes; the side table starts empty (searches are plain scans
    until the job has filled it; nothing is backfilled inside the migration). SQLite: the FTS5
    table already holds every task (its insert trigger did): the watermark starts at the top."""
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {LEGACY_TRGM_INDEX}")
    elif conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [f"{FTS_TABLE}_ai"])
            complete = cursor.fetchone() is not None
        if complete:
            schema_editor.execute(f"DROP TRIGGER {FTS_TABLE}_ai")
            for trigger in ("ad", "au"):  # replaced by ones that only touch indexed rows
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{trigger}")
            schema_editor.execute(
                "INSERT INTO tasks_tasksearchmark (project_id, indexed_through, updated_at)"
                " SELECT project_id, MAX(id), CURRENT_TIMESTAMP FROM tasks_task GROUP BY project_id"
            )
    create_schema(schema_editor)


def _trgm_extension(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is not None:
            return True
        try:  # needs a superuser (or a trusted extension); without it search stays a scan
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            return True
        except DatabaseError:
            return False


_PG_SCHEMA = (
    # no foreign key: Django's flush (TRUNCATE of its own tables) would refuse a table it does not
    # know referencing tasks_task; the triggers below follow deletes and truncation instead
    f"CREATE TABLE IF NOT EXISTS {SIDE_TABLE} (task_id bigint PRIMARY KEY, project_id bigint NOT NULL,"
    " text text NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON {SIDE_TABLE} USING gin ((UPPER(text)) gin_trgm_ops)",
    # ANALYZE keeps statistics of an index expression; with a 1,000-entry histogram the planner sees
    # that a pattern matches ~1% of tasks (it guesses ~0.01% with 100) and walks the sort's index for
    # a page instead of fetching every match first
    f"ALTER INDEX {TRGM_INDEX} ALTER COLUMN 1 SET STATISTICS {TRGM_STATISTICS}",
    # the cached matches of the project's searches (tasks/search_hits.py) are keyed by the mark's
    # version: moved once per project and transaction (a bulk change must not update that one row
    # per task; the flag is transaction-local, so a rolled-back savepoint takes both back)
    f"CREATE OR REPLACE FUNCTION {CHANGED_FUNCTION}(p bigint) RETURNS void LANGUAGE plpgsql AS $$ BEGIN"  # noqa: S608
    " IF current_setting('labelstudio.search_changed_' || p, true) IS DISTINCT FROM '1' THEN"
    " UPDATE tasks_tasksearchmark SET version = version + 1 WHERE project_id = p;"
    " PERFORM set_config('labelstudio.search_changed_' || p, '1', true); END IF; END $$",
    f"CREATE OR REPLACE FUNCTION {SYNC_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"  # noqa: S608
    f" IF TG_OP = 'DELETE' THEN DELETE FROM {SIDE_TABLE} WHERE task_id = OLD.id;"
    f" PERFORM {CHANGED_FUNCTION}(OLD.project_id); RETURN NULL; END IF;"
    f" IF TG_OP = 'TRUNCATE' THEN TRUNCATE {SIDE_TABLE}; UPDATE tasks_tasksearchmark SET version = version + 1;"
    " RETURN NULL; END IF;"
    f" INSERT INTO {SIDE_TABLE} (task_id, project_id, text) VALUES (NEW.id, NEW.project_id, NEW.data::text)"
    " ON CONFLICT (task_id) DO UPDATE SET project_id = EXCLUDED.project_id, text = EXCLUDED.text;"
    f" PERFORM {CHANGED_FUNCTION}(OLD.project_id);"
    f" IF NEW.project_id <> OLD.project_id THEN PERFORM {CHANGED_FUNCTION}(NEW.project_id); END IF;"
    " RETURN NULL; END $$",
    # an upsert, not an update: a change racing the job's first copy of the row still wins
    *(f"DROP TRIGGER IF EXISTS {SYNC_TRIGGER}{suffix} ON tasks_task" for suffix in ("", "_delete", "_truncate")),
    f"CREATE TRIGGER {SYNC_TRIGGER} AFTER UPDATE OF data, project_id ON tasks_task FOR EACH ROW"
    " WHEN (OLD.data IS DISTINCT FROM NEW.data OR OLD.project_id IS DISTINCT FROM NEW.project_id)"
    f" EXECUTE FUNCTION {SYNC_TRIGGER}()",
    f"CREATE TRIGGER {SYNC_TRIGGER}_delete AFTER DELETE ON tasks_task FOR EACH ROW EXECUTE FUNCTION {SYNC_TRIGGER}()",
    f"CREATE TRIGGER {SYNC_TRIGGER}_truncate AFTER TRUNCATE ON tasks_task FOR EACH STATEMENT"
    f" EXECUTE FUNCTION {SYNC_TRIGGER}()",
)

_INDEXED = f"EXISTS (SELECT 1 FROM {FTS_TABLE}_docsize WHERE id = old.id)"  # noqa: S608 - constants
_FTS_TRIGGERS = (
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON tasks_task WHEN {_INDEXED} BEGIN"  # noqa: S608
    f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, data) VALUES ('delete', old.id, old.data); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF data ON tasks_task WHEN {_INDEXED} BEGIN"  # noqa: S608
    f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, data) VALUES ('delete', old.id, old.data);"
    f" INSERT INTO {FTS_TABLE}(rowid, data) VALUES (new.id, new.data); END",
)


def _create_fts(schema_editor) -> None:
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(data, content='tasks_task',"
                " content_rowid='id', tokenize='trigram')"
            )
    except DatabaseError:  # an SQLite without FTS5 or its trigram tokenizer (< 3.34)
        return
    for statement in _FTS_TRIGGERS:
        schema_editor.execute(statement)


def schema_present() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [TRGM_INDEX])
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        else:
            return False
        return cursor.fetchone() is not None


class CursorEditor:
    """What the schema functions need of a schema editor, on a plain cursor (SQLite refuses a real
    schema editor inside a transaction)."""

    def __init__(self, cursor):
        self.connection, self.cursor = connection, cursor

    def execute(self, sql):
        self.cursor.execute(sql)


def rebuild(*, drop_only: bool = False, fill: bool = True) -> int:
    """Drop the index and (unless ``drop_only``) create it empty and (``fill``) fill it for every
    project now; returns the tasks indexed. manage.py task_search_index."""
    from .models import Task, TaskSearchMark

    with transaction.atomic(), connection.cursor() as cursor:
        drop_schema(CursorEditor(cursor))
        TaskSearchMark.objects.all().delete()
        if not drop_only:
            create_schema(CursorEditor(cursor))
    if drop_only or not fill:
        return 0
    projects = Task.objects.order_by().values_list("project_id", flat=True).distinct()
    return sum(index_project(p, wait=True) or 0 for p in list(projects))


# --- the job ---------------------------------------------------------------------------------------
def index_project(project_id: int, *, wait: bool = False) -> int | None:
    """Copy the text of the project's tasks above its watermark into the index, in batches, and
    move the watermark up after each. Returns how many tasks were indexed (0 without an index), or
    None when open writers of tasks_task kept the ceiling from being read (try again later)."""
    if not schema_present():
        return 0
    ceiling = _ceiling(project_id, wait=wait)
    if ceiling is None:
        return None
    from .models import Task, TaskSearchMark

    done, batch = 0, BATCH.get(connection.vendor, 2_000)
    while True:
        with transaction.atomic():
            mark = TaskSearchMark.objects.select_for_update().filter(project_id=project_id).first()
            if mark is None:
                mark = TaskSearchMark.objects.create(project_id=project_id)
            low = mark.indexed_through
            if low >= ceiling:
                break
            span = Task.objects.filter(project_id=project_id, id__gt=low, id__lte=ceiling).order_by("id")
            top = span.values_list("id", flat=True)[batch - 1 : batch].first()
            high = ceiling if top is None else top
            with connection.cursor() as cursor:
                cursor.execute(_COPY_SQL[connection.vendor], [project_id, low, high])
                done += max(cursor.rowcount, 0)
            mark.indexed_through = high
            mark.save(update_fields=["indexed_through", "updated_at"])
    if done and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # merge the GIN pending list now (what the inserts deferred): every search would
            # otherwise read it linearly until autovacuum comes (100k rows: ~4 ms per search)
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [TRGM_INDEX])
            if done >= ANALYZE_AFTER:
                cursor.execute(f"ANALYZE {SIDE_TABLE}")
    return done


_COPY_SQL = {
    "postgresql": f"INSERT INTO {SIDE_TABLE} (task_id, project_id, text) SELECT id, project_id, data::text"  # noqa: S608
    " FROM tasks_task WHERE project_id = %s AND id > %s AND id <= %s ON CONFLICT (task_id) DO NOTHING",
    "sqlite": f"INSERT INTO {FTS_TABLE}(rowid, data) SELECT id, data FROM tasks_task"  # noqa: S608 - constants
    " WHERE project_id = %s AND id > %s AND id <= %s",
}


def _ceiling(project_id: int, *, wait: bool) -> int | None:
    """The project's highest task id, read when no transaction that could still add a lower one is
    open (PostgreSQL: ``SHARE`` on tasks_task waits for open writers; SQLite has one writer)."""
    sql = "SELECT MAX(id) FROM tasks_task WHERE project_id = %s"
    if connection.vendor != "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [project_id])
            return cursor.fetchone()[0] or 0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)", ["0" if wait else f"{CEILING_LOCK_TIMEOUT_MS}ms"]
            )
            cursor.execute("LOCK TABLE tasks_task IN SHARE MODE")
            cursor.execute(sql, [project_id])
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT set_config('lock_timeout', '0', true)")
            return top
    except DatabaseError:  # lock_timeout: an import is still writing; its commit queues us again
        return None


def queue(project_id: int) -> None:
    """Index the project's new tasks in the background once the current transaction commits."""
    from .celery_tasks import search_index

    transaction.on_commit(lambda: search_index.delay(project_id))
