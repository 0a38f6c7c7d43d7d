"""Hand-written statements for the few hot paths (token auth, the labeling loop): there,
building a statement through the ORM costs more CPU than running it.

``Shape(Model, "alias")`` is the column list of a model for a SELECT and turns that slice of a
row back into an instance with the converters the ORM itself applies (JSON text → dict, SQLite's
datetime text → datetime), so callers get what a QuerySet would have given them.

On PostgreSQL ``hot_cursor()`` is a server-side-binding cursor on Django's own connection (same
transaction, same query logging) whose statements psycopg prepares after their second use, so
they are planned once per connection instead of once per request — planning was most of the
database's CPU on these paths (docs/benchmarks.md). ``DB_PREPARE_HOT_SQL=0`` turns that off
(needed only behind a pgbouncer in transaction mode older than 1.21).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model

#: A row as the driver returns it (column types vary by statement).
Row = tuple[Any, ...]
#: Statement parameters: whatever the driver adapts (it refuses the rest, not these types).
Params = Sequence[Any]
M = TypeVar("M", bound=Model)

# ``connections[...]`` once per call: every attribute read through django.db.connection is a
# thread-local lookup, and these functions run several times per request


def _db() -> BaseDatabaseWrapper:
    return connections[DEFAULT_DB_ALIAS]


PREPARE_AFTER = 2  # executions before psycopg prepares a statement


def hot_cursor() -> CursorWrapper:
    """A cursor for the hot statements (prepared on PostgreSQL, plain elsewhere)."""
    db = _db()
    if db.vendor != "postgresql" or not settings.DB_PREPARE_HOT_SQL:
        return db.cursor()
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]  # psycopg 3 only: not in django-stubs
        ServerBindingCursor,
    )

    db.close_if_health_check_failed()  # CONN_HEALTH_CHECKS, as Django's own cursor() does
    db.ensure_connection()
    raw = db.connection
    if raw.prepare_threshold is None:  # Django turns preparing off; only our cursors bind server-side
        raw.prepare_threshold = PREPARE_AFTER
    with db.wrap_database_errors:
        # Django's wrapper (errors, logging); a private method, not in django-stubs
        cursor: CursorWrapper = db._prepare_cursor(ServerBindingCursor(raw))  # type: ignore[attr-defined]
        return cursor


def rows(sql: str, params: Params = ()) -> list[Row]:
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        found: list[Row] = cursor.fetchall()
        return found


def one(sql: str, params: Params = ()) -> Row | None:
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        row: Row | None = cursor.fetchone()
        return row


def one_row(sql: str, params: Params = ()) -> Row:
    """The row of a statement that always returns one (an aggregate, ``INSERT ... RETURNING``)."""
    row = one(sql, params)
    if row is None:
        raise RuntimeError(f"expected one row from: {sql[:60]}")
    return row


def run(sql: str, params: Params = ()) -> None:
    with hot_cursor() as cursor:
        cursor.execute(sql, params)


#: Converters of one column: (index in the shape, the column expression, the converter functions).
Converters = list[tuple[int, Any, list[Callable[..., Any]]]]


class Shape(Generic[M]):
    """A model's concrete columns under a table alias, and the way back from row values."""

    def __init__(self, model: type[M], alias: str):
        self.model, self.alias = model, alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.columns = ", ".join(f'{alias}."{f.column}"' for f in self.fields)
        self.width = len(self.fields)
        self._converters: dict[str, Converters] = {}

    def converters(self, db: BaseDatabaseWrapper) -> Converters:
        vendor = db.vendor
        if vendor not in self._converters:
            found: Converters = []
            for i, f in enumerate(self.fields):
                col = f.cached_col
                fns = db.ops.get_db_converters(col) + col.get_db_converters(db)
                if fns:
                    found.append((i, col, fns))
            self._converters[vendor] = found
        return self._converters[vendor]

    def build(self, row: Sequence[Any], start: int = 0) -> M:
        """The instance made of ``row[start:start + width]``."""
        db = _db()
        values = list(row[start : start + self.width])
        for i, col, fns in self.converters(db):
            value = values[i]
            for fn in fns:
                value = fn(value, col, db)
            values[i] = value
        return self.model.from_db(db.alias, self.attnames, values)


_INSERTS: dict[tuple[type[Model], str], tuple[str, str, str, list[Field[Any, Any]]]] = {}


def insert_parts(obj: Model) -> tuple[str, str, str, list[Any]]:
    """Table, column list, typed placeholders (``%s::jsonb, ...``, for INSERT ... SELECT) and
    values of a new instance (auto primary key): what ``save()`` would write (``pre_save`` fills
    auto_now fields on the instance)."""
    model, db = type(obj), _db()
    key = (model, db.vendor)
    if key not in _INSERTS:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        cols = ", ".join(db.ops.quote_name(f.column) for f in fields)
        typed = ", ".join(f"%s::{f.db_type(db)}" for f in fields)
        _INSERTS[key] = (model._meta.db_table, cols, typed, fields)
    table, cols, typed, fields = _INSERTS[key]
    return table, cols, typed, [f.get_db_prep_save(f.pre_save(obj, add=True), db) for f in fields]


def saved(obj: M, pk: int) -> M:
    """Mark an instance inserted by hand as saved, with its new primary key."""
    obj.pk = pk
    obj._state.adding, obj._state.db = False, DEFAULT_DB_ALIAS
    return obj


def insert(obj: M) -> M:
    """INSERT a new instance in one prepared statement and set its pk — ``Model.objects.create``
    without the compiler, for rows written on every request. No model signals are sent, so use
    it only for models that have no receivers."""
    table, cols, _typed, values = insert_parts(obj)
    pk = _db().ops.quote_name(type(obj)._meta.pk.column)
    marks = ", ".join(["%s"] * len(values))
    return saved(obj, one_row(f"INSERT INTO {table} ({cols}) VALUES ({marks}) RETURNING {pk}", values)[0])  # noqa: S608


def run_all(statements: Sequence[tuple[str, Params]]) -> None:
    """Run independent writes in one round trip on PostgreSQL (all but the last as
    data-modifying CTEs: one statement, one snapshot — so none may depend on another's effect),
    one after another elsewhere."""
    if _db().vendor != "postgresql":
        for sql, params in statements:
            run(sql, params)
        return
    *first, (last_sql, last_params) = statements
    ctes = ", ".join(f"w{i} AS ({sql})" for i, (sql, _) in enumerate(first))
    params = [p for _, ps in first for p in ps]
    run(f"WITH {ctes} {last_sql}" if first else last_sql, [*params, *last_params])
