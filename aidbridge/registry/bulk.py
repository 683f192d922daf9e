"""Fast inserts of many plain rows, for the household import: COPY on PostgreSQL, executemany
on SQLite, on Django's connection of the calling thread and so inside its transaction; and
Batches, which runs batches of such inserts one transaction each, possibly in threads of their
own so that the database works while the caller prepares the next batch.

Rows are tuples of values the database driver takes as they are: text, numbers, booleans,
dates, bytes, JSON as text, UUIDs as hex and date-times made by
``connection.ops.adapt_datetimefield_value``. Nothing is validated here; no model's save(),
signals or defaults run, so the caller supplies every column Django would write.
"""

import queue
import threading
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, transaction
from django.db.models import Model
from django.utils import translation


def insert(model: type[Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into the table of ``model``."""
    table, names = _names(model, columns)
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})",
                list(rows),
            )


def insert_with_ids(model: type[Model], columns: Sequence[str], rows: list[tuple]) -> list[int]:
    """Insert ``rows`` like insert() and return their new primary keys, in order."""
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        insert(
            model,
            [model._meta.pk.column, *columns],
            ((pk, *row) for pk, row in zip(ids, rows, strict=True)),
        )
        return ids
    table, names = _names(model, columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['?'] * len(columns))})"
    connection.ensure_connection()
    execute = connection.connection.execute  # sqlite3 itself: one statement a row, no wrapper
    with connection.wrap_database_errors:
        return [execute(sql, row).lastrowid for row in rows]


def insert_select(
    model: type[Model],
    columns: Sequence[str],
    source: type[Model],
    select: Sequence[str],
    params: Sequence,
    ids: Sequence[int],
    where: str = "",
) -> None:
    """INSERT INTO the table of ``model`` (``columns``) SELECT ``select`` (SQL over the
    columns of the table of ``source``, with %s for ``params``) FROM those of its rows whose
    primary key is in ``ids`` [AND ``where``]: rows the server copies from rows just written,
    so that this process need not build and send them again."""
    table, names = _names(model, columns)
    source_table, pk = _names(source, [source._meta.pk.column])
    sql = f"INSERT INTO {table} ({names}) SELECT {', '.join(select)} FROM {source_table} WHERE "
    extra = f" AND ({where})" if where else ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{sql}{pk} = ANY(%s){extra}", [*params, list(ids)])
            return
        step = connection.features.max_query_params - len(params)
        for start in range(0, len(ids), step):
            chunk = list(ids[start : start + step])
            cursor.execute(
                f"{sql}{pk} IN ({', '.join(['%s'] * len(chunk))}){extra}", [*params, *chunk]
            )


def present(model: type[Model], column: str, values: Iterable) -> set:
    """Those of ``values`` found in ``column`` of the table of ``model``."""
    table, name = _names(model, [column])
    values = list(values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {name} FROM {table} WHERE {name} = ANY(%s)", [values])
            return {v for (v,) in cursor.fetchall()}
        found = set()
        step = connection.features.max_query_params
        for start in range(0, len(values), step):
            chunk = values[start : start + step]
            cursor.execute(
                f"SELECT {name} FROM {table} WHERE {name} IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            found.update(v for (v,) in cursor.fetchall())
        return found


def _names(model: type[Model], columns: Sequence[str]) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(c) for c in columns)


class Batches:
    """Run write functions, each in a transaction of its own, in the order given, and keep
    what they return in ``results``: at once in the calling thread, or with ``threads`` > 0
    in that many threads, each with a connection of its own (and the caller's language), so
    the caller goes on while they write (and batches may commit out of order). Use it as a
    context manager; on a clean exit it waits for every batch to be written. The first
    failure of a thread is raised in the caller (at its next ``run`` or at the exit), and no
    batch starts once it has happened.

    Threads commit apart from any transaction of the caller, so callers that are in one
    (not ``connection.get_autocommit()``) must not use them."""

    def __init__(self, threads: int = 0):
        self.results: list = []
        self._queue: queue.Queue = queue.Queue(maxsize=threads)
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(threads)]
        self._error: BaseException | None = None

    def __enter__(self) -> "Batches":
        for thread in self._threads:
            thread.start()
        return self

    def run(self, write: Callable[[], object]) -> None:
        """Write one batch: ``write()`` inside transaction.atomic()."""
        if not self._threads:
            with transaction.atomic():
                self.results.append(write())
            return
        self._raise()
        self._queue.put((write, translation.get_language()))

    def __exit__(self, kind, error, traceback) -> None:
        for _thread in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()
        if kind is None:
            self._raise()

    def _work(self) -> None:
        try:
            while (job := self._queue.get()) is not None:
                write, language = job
                if self._error is None:
                    try:
                        with translation.override(language), transaction.atomic():
                            self.results.append(write())
                    except BaseException as exc:  # handed to the caller by _raise
                        self._error = exc
        finally:
            connection.close()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error
