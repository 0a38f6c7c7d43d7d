"""Bulk writes of tasks, completions, predictions and storage links inside the import's transaction.

PostgreSQL: ``COPY ... FROM STDIN``. Tasks without annotations or predictions stream through one
COPY that stays open while the parser goes on, so Python and the server work at the same time.
Once a row carries annotations, predictions or a storage key, rows go in batches whose task ids
are taken from the sequence first, so the other tables can point at them. SQLite: executemany in
batches; ids are assigned here (the transaction holds SQLite's write lock).

Counters (``total_annotations``, ``cancelled_annotations``, ``total_predictions``, ``is_labeled``)
and ``prediction_score`` (the average of the predictions' scores) are computed from the rows being written: nothing is recounted afterwards, so importing into a
project with a million tasks costs what importing into an empty one does. Columns are taken from
the models; any column we do not set gets its model default.
"""

from __future__ import annotations

import datetime
import json

from django.db import connection

BATCH_ROWS = 10_000
BATCH_BYTES = 16 * 1024 * 1024
STREAM_CHUNK = 2000


def _text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


class Table:
    """Insert statement for a model: ``columns`` per row, ``fixed`` for all rows, defaults for the rest."""

    def __init__(self, model, columns: list[str], fixed: dict, *, with_id: bool, now):
        meta = model._meta
        self.name = meta.db_table
        per_row = [meta.get_field(c) for c in columns]
        const_fields, values = [], []
        for f in meta.concrete_fields:
            if f.primary_key or f.name in columns:
                continue
            if f.name in fixed:
                value = fixed[f.name]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            else:
                value = f.get_default()  # "" for text fields without a default
            if value is None and not f.null:
                raise RuntimeError(f"{self.name}.{f.column} has no default; the importer must set it")
            const_fields.append(f)
            values.append(self._db_value(f, value))
        self.columns = ([meta.pk.column] if with_id else []) + [f.column for f in per_row + const_fields]
        self.constants = tuple(values)
        self.copy_tail = "".join("\t" + _text(v) for v in values) + "\n"
        quote = connection.ops.quote_name
        self.column_sql = ", ".join(quote(c) for c in self.columns)
        self.quoted = quote(self.name)

    @staticmethod
    def _db_value(f, value):
        if f.get_internal_type() == "JSONField":
            return json.dumps(value)
        if isinstance(value, datetime.datetime) and connection.vendor == "sqlite":
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def copy_sql(self) -> str:
        return f"COPY {self.quoted} ({self.column_sql}) FROM STDIN"

    def insert_sql(self) -> str:
        marks = ", ".join(["%s"] * len(self.columns))
        return f"INSERT INTO {self.quoted} ({self.column_sql}) VALUES ({marks})"  # noqa: S608 - names from models


class Sink:
    def __init__(self, *, project_id: int, job_id: int, overlap: int, storage_id: int | None = None):
        # listed layering exception, lazy so tasks loads on its own: an import writes completions and predictions
        from annotators.models import Completion
        from ml_backends.models import Prediction
        from tasks.models import S3ImportStorageLink, Task

        now = datetime.datetime.now(datetime.UTC)
        owner = {"project": project_id, "import_job": job_id}
        self.overlap = overlap
        self.storage_id = storage_id
        zero = {"is_labeled": overlap <= 0, "total_annotations": 0, "cancelled_annotations": 0, "total_predictions": 0}
        self.plain_tasks = Table(Task, ["data", "meta"], {**owner, **zero}, with_id=False, now=now)
        self.tasks = Table(Task, ["data", "meta", *zero, "prediction_score"], owner, with_id=True, now=now)
        self.completions = Table(
            Completion,
            ["task", "completed_by", "result", "was_cancelled", "ground_truth", "lead_time"],
            owner,
            with_id=False,
            now=now,
        )
        self.predictions = Table(
            Prediction, ["task", "model_version", "score", "result"], owner, with_id=False, now=now
        )
        self.links = (
            Table(
                S3ImportStorageLink,
                ["key", "task"],
                {"storage": storage_id, "import_job": job_id},
                with_id=False,
                now=now,
            )
            if storage_id
            else None
        )
        self.batch: list = []
        self.batch_bytes = 0
        self.file_links: dict[str, None] = {}  # keys of task files read from a storage (ordered set)
        self.task_count = self.annotation_count = self.prediction_count = 0
        self.cursor = connection.cursor()

    # --- what the pipeline calls ----------------------------------------------------------------
    def add(self, row) -> None:
        self.batch.append(row)
        self.batch_bytes += len(row.data)
        if len(self.batch) >= BATCH_ROWS or self.batch_bytes >= BATCH_BYTES:
            self.flush()

    def add_file_link(self, key: str) -> None:
        """A task file read from a storage: remembered so a re-sync skips it."""
        self.file_links[key] = None

    def pause(self) -> None:
        """Before the caller runs another query on this connection."""

    def finish(self) -> dict:
        self.pause()
        self.flush()
        if self.file_links and self.links:
            self.insert(self.links, [(key, None) for key in self.file_links])
        self.cursor.close()
        return {
            "task_count": self.task_count,
            "annotation_count": self.annotation_count,
            "prediction_count": self.prediction_count,
        }

    def abort(self) -> None:
        try:
            self.cursor.close()
        except Exception:  # noqa: BLE001,S110 - the transaction is being rolled back anyway
            pass

    # --- shared -------------------------------------------------------------------------------
    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch, self.batch_bytes = self.batch, [], 0
        ids = self.reserve_ids(len(batch))
        tasks, completions, predictions, links = [], [], [], []
        for task_id, row in zip(ids, batch, strict=True):
            done = sum(1 for a in row.annotations if not a[2])
            scores = [p[1] for p in row.predictions if p[1] is not None]  # (model_version, score, result)
            tasks.append(
                (
                    task_id,
                    row.data,
                    row.meta,
                    done >= self.overlap,
                    done,
                    len(row.annotations) - done,
                    len(row.predictions),
                    sum(scores) / len(scores) if scores else None,  # counters_sql's AVG
                )
            )
            completions.extend((task_id, *a) for a in row.annotations)
            predictions.extend((task_id, *p) for p in row.predictions)
            if row.storage_key is not None:
                links.append((row.storage_key, task_id))
        self.insert(self.tasks, tasks)
        self.insert(self.completions, completions)
        self.insert(self.predictions, predictions)
        if links and self.links:
            self.insert(self.links, links)
        self.task_count += len(tasks)
        self.annotation_count += len(completions)
        self.prediction_count += len(predictions)

    def reserve_ids(self, n: int) -> list[int]:
        raise NotImplementedError

    def insert(self, table: Table, rows: list[tuple]) -> None:
        raise NotImplementedError


class SqliteSink(Sink):
    #: SQLite's page cache for the import's connection (KiB): the settings give connections 64 MB,
    #: which an import of a million tasks fills; appending rows needs few pages.
    CACHE_KIB = 16 * 1024

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.next_id = None
        self.cursor.execute("PRAGMA cache_size")
        self.cache_size = self.cursor.fetchone()[0]
        self.cursor.execute(f"PRAGMA cache_size = -{self.CACHE_KIB}")

    def finish(self) -> dict:
        self.cursor.execute(f"PRAGMA cache_size = {int(self.cache_size)}")
        return super().finish()

    def abort(self) -> None:
        try:
            self.cursor.execute(f"PRAGMA cache_size = {int(self.cache_size)}")
        except Exception:  # noqa: BLE001,S110 - best effort; the connection is closed after the job
            pass
        super().abort()

    def reserve_ids(self, n: int) -> list[int]:
        if self.next_id is None:
            table = self.tasks.name
            self.cursor.execute(f"SELECT MAX(id) FROM {self.tasks.quoted}")  # noqa: S608 - model table name
            top = self.cursor.fetchone()[0] or 0
            self.cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            seq = self.cursor.fetchone()
            self.next_id = max(top, seq[0] if seq else 0) + 1
        ids = list(range(self.next_id, self.next_id + n))
        self.next_id += n
        return ids

    def insert(self, table: Table, rows: list[tuple]) -> None:
        if rows:
            constants = table.constants
            self.cursor.executemany(table.insert_sql(), [(*r, *constants) for r in rows])


def make_sink(**kwargs) -> Sink:
    if connection.vendor == "postgresql":
        from .writer_pg import PostgresSink

        return PostgresSink(**kwargs)
    return SqliteSink(**kwargs)
