"""The load of a run in a process of its own, beside the indicators (``engage run --jobs`` > 1, issue 13).

A network-scale run spends about a quarter of its time binding the warehouse's rows (the driver's
``executemany`` and COPY), on one core, after the indicators were computed on the same core. Most of the
rows are the clean ``stg_*`` tables, which are final before the indicators start (the survey responses as
soon as their weights are in). So with more than one job the run hands each table to a writer process
the moment it is final and goes on computing; the writer inserts it into its one transaction, exactly as
:func:`etl.load.write_run` does, and commits only when the run sends the run log at the end.

All or nothing still holds: the writer commits only on :meth:`BackgroundLoad.finish`; a run that fails
before (or is killed: the writer dies with it, :func:`etl.pipeline.die_with_parent`) leaves the previous
warehouse as it was, because an uncommitted transaction is rolled back. The rows are the same as those of
:func:`etl.load.write_run` (the same functions insert them, table by table in slices of
:data:`etl.load.LOAD_CHUNK`), so ``--jobs 1`` and ``--jobs N`` give the same warehouse.

Frames are handed over by reference to a queue whose feeder thread pickles them later: a frame must not
be changed in place after :meth:`BackgroundLoad.table`.
"""

from __future__ import annotations

import os
import pickle
import queue
from multiprocessing import get_context

import pandas as pd
from sqlalchemy import Engine

from etl.db import sqlite_path
from etl.load import LOAD_CHUNK

_FINISH, _ABORT, _ROWS = "finish", "abort", "rows"


def can_load_apart(engine: Engine) -> bool:
    """Whether another process can write this warehouse (a file or a server; not an in-memory SQLite)."""
    if engine.dialect.name == "sqlite":
        return sqlite_path(engine.url.render_as_string(hide_password=False)) is not None
    return True


class BackgroundLoad:
    """A writer process holding run ``run_id``'s transaction open until :meth:`finish` (or :meth:`abort`)."""

    def __init__(self, engine: Engine, run_id: int) -> None:
        ctx = get_context("spawn")  # not forked: the progress bar's thread must not be copied mid-lock
        self._inbox = ctx.Queue()
        self._outbox = ctx.Queue()
        self.loaded: dict[str, int] = {}
        url = engine.url.render_as_string(hide_password=False)
        self._process = ctx.Process(
            target=_serve,
            args=(url, run_id, self._inbox, self._outbox, os.getpid()),
            name="engage-load",
            daemon=True,
        )
        self._process.start()

    def table(self, name: str, frame: pd.DataFrame | None) -> None:
        """Hand a final table over (slices of :data:`LOAD_CHUNK` rows; nothing for an empty frame)."""
        if frame is None or frame.empty:
            return
        for start in range(0, len(frame), LOAD_CHUNK):
            self._inbox.put((_ROWS, name, frame.iloc[start : start + LOAD_CHUNK]))
        self.loaded[name] = self.loaded.get(name, 0) + len(frame)

    def finish(self, run: dict[str, object], files: pd.DataFrame, keep_runs: int | None) -> None:
        """Append the run log, prune and commit; raises what the writer raised (nothing is committed then)."""
        self._inbox.put((_FINISH, run, files, keep_runs))
        while True:
            try:
                outcome = self._outbox.get(timeout=1.0)
                break
            except queue.Empty:
                if not self._process.is_alive():  # killed from outside: nothing was committed
                    raise RuntimeError("Der Schreibprozess des Laufs ist abgebrochen.") from None
        self._process.join()
        if outcome is not None:
            raise outcome

    def abort(self) -> None:
        """End the writer without committing (the run failed); the warehouse stays as it was."""
        if self._process.is_alive():
            self._inbox.put((_ABORT,))
            self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def _serve(url: str, run_id: int, inbox, outbox, parent: int) -> None:  # noqa: ANN001 - queues
    """The writer: one transaction, filled as tables arrive, committed on the run log."""
    from etl import tables
    from etl.db import make_engine
    from etl.load import clear_tables, ensure_schema, finish_run, insert_frame
    from etl.pipeline import die_with_parent

    die_with_parent(parent)
    engine = make_engine(url)
    error: BaseException | None = None
    last = _ROWS
    try:
        # nothing is written before the run hands over its first table: until then it still reads the
        # warehouse (the last good data of failed sources), which a writer holding its tables must not block
        message = inbox.get()
        last = message[0]
        if last != _ABORT:
            ensure_schema(engine)
            with engine.connect() as conn, conn.begin() as transaction:
                clear_tables(conn, run_id)
                while last == _ROWS:
                    insert_frame(conn, tables.metadata.tables[message[1]], message[2], run_id)
                    message = inbox.get()
                    last = message[0]
                if last == _FINISH:
                    finish_run(conn, *message[1:])
                else:
                    transaction.rollback()
    except BaseException as exc:  # noqa: BLE001 - handed to the run, which raises it as write_run would
        error = _picklable(exc)
        # the run may still be sending: take the rest until it finishes or aborts, so it is not left waiting
        while last == _ROWS:
            last = inbox.get()[0]
    finally:
        engine.dispose()
    outbox.put(error)


def _picklable(exc: BaseException) -> BaseException:
    """``exc`` itself where it survives the way back to the run, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any exception that cannot be rebuilt in the run
        return RuntimeError(str(exc))
    return exc
