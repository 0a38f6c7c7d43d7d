"""Text search over task data: what the data manager's and the API's ``text`` filter matches, and
the index that serves it.

Semantics (docs/ui.md, "Search"): a case-insensitive substring of the task data's JSON text
(keys, string values and numbers alike). What is typed may be written unescaped: ``café`` and
``say "hi"`` also match their JSON-escaped forms (``caf\\u00e9``, ``say \\"hi\\"``), which is
how some writers store them. Case folding is Unicode on PostgreSQL (``UPPER`` under the
database's UTF-8 ctype) and ASCII-only on SQLite (``LIKE``); accents are significant on both.

Indexes (migration tasks.0003): PostgreSQL, a ``pg_trgm`` GIN index over ``UPPER(data::text)``,
which serves the very ``LIKE`` this filter emits (the index only finds candidates; the ``LIKE``
is rechecked, so results are the plain filter's). SQLite, an FTS5 table with the ``trigram``
tokenizer kept by triggers; a search of 3+ characters first asks it for candidate rows, then
applies the same ``LIKE``. Without the extension or FTS5 the filter is the plain scan.
"""

from __future__ import annotations

import json
from functools import cache

from django.db import connection
from django.db.models import Q, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

FTS_TABLE = "tasks_task_fts"
TRGM_INDEX = "task_data_trgm_idx"
TRGM_STATISTICS = 1000


def variants(value: str) -> list[str]:
    """The search string as typed plus its JSON-escaped forms (without the quotes)."""
    out = [value]
    for ascii_only in (False, True):
        escaped = json.dumps(value, ensure_ascii=ascii_only)[1:-1]
        if escaped not in out:
            out.append(escaped)
    return out


def annotate_text(qs):
    """The queryset with ``_data_text``, the data's JSON text the filter matches."""
    return qs.annotate(_data_text=Cast("data", TextField()))


def plain_condition(value: str) -> Q:
    """The filter without any index: the reference the indexed path must agree with."""
    q = Q()
    for v in variants(value):
        q |= Q(_data_text__icontains=v)
    return q


def text_filter(qs, value: str):
    """``qs`` narrowed to tasks whose data contains ``value`` (see the module doc)."""
    qs = annotate_text(qs).filter(plain_condition(value))
    if connection.vendor == "sqlite" and len(value) >= 3 and fts_available():
        qs = qs.filter(id__in=RawSQL(*fts_candidates(value)))
    return qs


def fts_candidates(value: str) -> tuple[str, list]:
    """SQL for the rowids FTS5 finds for any variant of ``value`` (a superset of the LIKE's)."""
    phrases = " OR ".join('"' + v.replace('"', '""') + '"' for v in variants(value))
    return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [phrases]  # noqa: S608 - constant name


@cache
def _fts_present(alias: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        return cursor.fetchone() is not None


def fts_available() -> bool:
    return _fts_present(connection.settings_dict["NAME"])


# --- schema (used by the migration) ---------------------------------------------------------------
def create_index(schema_editor) -> None:
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        _create_trgm(schema_editor)
    elif conn.vendor == "sqlite":
        _create_fts(schema_editor)
    _fts_present.cache_clear()


def drop_index(schema_editor) -> None:
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
    elif conn.vendor == "sqlite":
        for trigger in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    _fts_present.cache_clear()


def _create_trgm(schema_editor) -> None:
    from django.db import transaction

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        present = cursor.fetchone() is not None
        if not present:
            try:  # needs a superuser (or a trusted extension); without it search stays a scan
                with transaction.atomic(using=schema_editor.connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                present = True
            except Exception:  # noqa: BLE001 - any refusal: go on without the index
                present = False
    if present:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON tasks_task USING gin ((UPPER(data::text)) gin_trgm_ops)"
        )
        # ANALYZE keeps statistics of an index expression; with a 1,000-entry histogram the planner
        # sees that a pattern matches ~1% of tasks (it guesses ~0.01% with 100) and walks the sort's
        # index for a page instead of rechecking every match from the trigram bitmap
        schema_editor.execute(f"ALTER INDEX {TRGM_INDEX} ALTER COLUMN 1 SET STATISTICS {TRGM_STATISTICS}")


def _create_fts(schema_editor) -> None:
    from django.db import transaction

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(data, content='tasks_task', content_rowid='id',"
                " tokenize='trigram')"
            )
    except Exception:  # noqa: BLE001 - an SQLite without FTS5 or its trigram tokenizer (< 3.34)
        return
    for statement in _FTS_TRIGGERS:
        schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO tasks_task_fts(tasks_task_fts) VALUES ('rebuild')")


# The FTS5 table follows tasks_task (external content): every insert, delete and change of data.
_FTS_TRIGGERS = (
    "CREATE TRIGGER tasks_task_fts_ai AFTER INSERT ON tasks_task BEGIN"
    " INSERT INTO tasks_task_fts(rowid, data) VALUES (new.id, new.data); END",
    "CREATE TRIGGER tasks_task_fts_ad AFTER DELETE ON tasks_task BEGIN"
    " INSERT INTO tasks_task_fts(tasks_task_fts, rowid, data) VALUES ('delete', old.id, old.data); END",
    "CREATE TRIGGER tasks_task_fts_au AFTER UPDATE OF data ON tasks_task BEGIN"
    " INSERT INTO tasks_task_fts(tasks_task_fts, rowid, data) VALUES ('delete', old.id, old.data);"
    " INSERT INTO tasks_task_fts(rowid, data) VALUES (new.id, new.data); END",
)


def index_present() -> bool:
    """Whether the text-search index exists on this database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [TRGM_INDEX])
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        else:
            return False
        return cursor.fetchone() is not None
