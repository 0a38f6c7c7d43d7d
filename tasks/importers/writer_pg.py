"""PostgreSQL writer: COPY, and foreign keys checked once instead of once per row when allowed.

Plain tasks stream through one COPY that stays open while the parser goes on, so Python and the
server work at the same time; rows with annotations, predictions or a storage key go in batches
whose ids come from the sequence first.

Foreign keys: PostgreSQL checks each inserted row's keys with a trigger (a query and a row lock
per key per row: ~40% of COPY's time). Every key the importer writes points at a row it has
locked FOR KEY SHARE itself (the project, the job, the users named by annotations, the storage)
or at a task it inserted in this transaction, so when the database role may set
``session_replication_role`` (a superuser, or PostgreSQL 15+ ``GRANT SET ON PARAMETER``) and the
tables have no triggers of their own, the import skips those per-row checks for its transaction
(``IMPORT_PG_SKIP_FK_TRIGGERS``, on by default; otherwise they run as usual). docs/import.md.
"""

from __future__ import annotations

import select

import psycopg
from django.conf import settings
from django.contrib.auth import get_user_model
from psycopg.copy import LibpqWriter

from labelstudio.core.models import Job
from projects.models import Project

from ..search_index import SYNC_TRIGGER
from .writer import STREAM_CHUNK, Sink, Table, _text


class FlushingWriter(LibpqWriter):
    """Waits until each chunk has left: when the server is slower than the parser, libpq would
    otherwise keep growing its output buffer (memory must stay flat whatever the file size)."""

    def write(self, data) -> None:
        super().write(data)
        pgconn = self._pgconn
        while pgconn.flush() == 1:
            select.select([], [pgconn.socket], [])


class PostgresSink(Sink):
    def __init__(self, *, project_id: int, job_id: int, **kwargs):
        super().__init__(project_id=project_id, job_id=job_id, **kwargs)
        self.raw = self.cursor.cursor  # psycopg's own cursor: COPY
        # Foreign keys are checked row by row while COPY runs (beside the parser) instead of all
        # at COMMIT (Django declares them DEFERRABLE INITIALLY DEFERRED) ...
        self.raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Before any id is reserved: the search index job reads a project's highest task id only
        # once no writer that could still add a lower one is open (tasks/search_index.py)
        self.raw.execute("LOCK TABLE tasks_task IN ROW EXCLUSIVE MODE")
        # ... unless we may skip those checks, having locked what the rows point at.
        self.trusted = self.trust_foreign_keys(project_id, job_id)
        self.copy_cm = self.copy = None
        self.buffer: list[str] = []
        self.batched = False

    def add(self, row) -> None:
        if not self.batched:
            if row.plain:
                self.stream(row)
                return
            self.pause()
            self.batched = True  # from here on rows keep their order through batches
        super().add(row)

    def stream(self, row) -> None:
        if self.copy is None:
            self.copy_cm = self.raw.copy(self.plain_tasks.copy_sql(), writer=FlushingWriter(self.raw))
            self.copy = self.copy_cm.__enter__()
        data, meta = row.data, row.meta
        if "\\" in data:  # JSON text has no raw tab/newline: a backslash is all COPY needs escaped
            data = data.replace("\\", "\\\\")
        if "\\" in meta:
            meta = meta.replace("\\", "\\\\")
        self.buffer.append(f"{data}\t{meta}{self.plain_tasks.copy_tail}")
        self.task_count += 1
        if len(self.buffer) >= STREAM_CHUNK:
            self.copy.write("".join(self.buffer))
            self.buffer = []

    def pause(self) -> None:
        if self.copy is not None:
            if self.buffer:
                self.copy.write("".join(self.buffer))
                self.buffer = []
            cm, self.copy_cm, self.copy = self.copy_cm, None, None
            cm.__exit__(None, None, None)

    def abort(self) -> None:
        if self.copy is not None:
            cm, self.copy_cm, self.copy = self.copy_cm, None, None
            try:
                cm.__exit__(RuntimeError, RuntimeError("import aborted"), None)
            except Exception:  # noqa: BLE001,S110 - the transaction is being rolled back anyway
                pass
        super().abort()

    def reserve_ids(self, n: int) -> list[int]:
        self.raw.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", (self.tasks.name, n)
        )
        return [r[0] for r in self.raw.fetchall()]

    def insert(self, table: Table, rows: list[tuple]) -> None:
        if not rows:
            return
        tail = table.copy_tail
        with self.raw.copy(table.copy_sql(), writer=FlushingWriter(self.raw)) as copy:
            for start in range(0, len(rows), STREAM_CHUNK):
                copy.write("".join("\t".join(map(_text, r)) + tail for r in rows[start : start + STREAM_CHUNK]))

    def trust_foreign_keys(self, project_id: int, job_id: int) -> bool:
        if not getattr(settings, "IMPORT_PG_SKIP_FK_TRIGGERS", True):
            return False
        tables = [t.name for t in (self.tasks, self.completions, self.predictions, self.links) if t is not None]
        self.raw.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal"
            " AND tgname NOT LIKE %s",  # the search index's triggers: none fires on INSERT
            (tables, SYNC_TRIGGER + "%"),
        )
        if self.raw.fetchone()[0]:
            return False  # someone's own triggers must run
        self.raw.execute("SAVEPOINT import_trust")
        try:
            self.raw.execute("SET LOCAL session_replication_role = replica")
        except psycopg.errors.InsufficientPrivilege:
            self.raw.execute("ROLLBACK TO SAVEPOINT import_trust")
            return False
        self.raw.execute("RELEASE SAVEPOINT import_trust")
        from tasks.models import S3ImportStorage

        self.lock(Project, [project_id])
        self.lock(Job, [job_id])
        if self.storage_id:
            self.lock(S3ImportStorage, [self.storage_id])
        return True

    def lock(self, model, ids) -> None:
        """FOR KEY SHARE: what the foreign-key trigger would take, once instead of per row."""
        table = self.cursor.db.ops.quote_name(model._meta.db_table)
        self.raw.execute(f"SELECT id FROM {table} WHERE id = ANY(%s) FOR KEY SHARE", (list(ids),))  # noqa: S608

    def finish(self) -> dict:
        counts = super().finish()
        if self.trusted:  # back to normal for whatever else this transaction does
            with self.cursor.db.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        return counts

    def flush(self) -> None:
        if self.trusted and self.batch:
            users = {a[0] for row in self.batch for a in row.annotations}
            if users:
                self.lock(get_user_model(), sorted(users))
        super().flush()
