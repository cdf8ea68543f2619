"""The DuckDB store: one transaction per chunk, so a killed run never leaves half an article."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from sayso.errors import InputError
from sayso.store.tables import ID_COLUMN, SCHEMAS


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    have = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for name, schema in SCHEMAS.items():
        if name not in have:
            empty = schema.empty_table()  # noqa: F841  (read by DuckDB through its name)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM empty')
    # a store made before these columns gets them (rows are inserted by name; old rows hold null)
    con.execute('ALTER TABLE articles ADD COLUMN IF NOT EXISTS tier VARCHAR')
    con.execute('ALTER TABLE claims ADD COLUMN IF NOT EXISTS time VARCHAR')
    con.execute('ALTER TABLE sentences ADD COLUMN IF NOT EXISTS debris BOOLEAN')


def done_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT id FROM articles UNION ALL SELECT id FROM errors").fetchall()}


def insert(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    """Insert one chunk's tables in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for name, table in tables.items():
            if table.num_rows:
                con.register("chunk", table)
                con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM chunk')
                con.unregister("chunk")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def without(tables: dict[str, pa.Table], ids: set[str]) -> dict[str, pa.Table]:
    """The tables less the rows of ``ids``."""
    if not ids:
        return tables
    skip = pa.array(sorted(ids), pa.string())
    return {name: t.filter(pc.invert(pc.is_in(t[ID_COLUMN[name]], value_set=skip))) for name, t in tables.items()}


DUCKDB_MAGIC = b"DUCK"  # at byte 8 of every DuckDB database file


def check_store(path: Path) -> None:
    """Refuses a ``--db`` path that exists but is not a DuckDB database: DuckDB would otherwise
    read a .jsonl or .csv as a view and store nothing. A missing or empty file is a new store."""
    if not path.exists():
        return
    if not path.is_file():
        raise InputError(f"--db {path} is not a DuckDB file (it is a folder or a special file)")
    with path.open("rb") as fh:
        head = fh.read(12)
    if head and head[8:12] != DUCKDB_MAGIC:
        raise InputError(f"--db {path} is not a DuckDB database (give a new file name or a store written by sayso)")


class DuckDBWriter:
    name = "DuckDB"
    wants_lines = False
    wants_tables = True

    def __init__(self, path: Path) -> None:
        check_store(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con = open_waiting(path)
        create_tables(self.con)
        self.done = done_ids(self.con)

    def write(self, result: Any) -> None:
        have = self.done.intersection(result.ids)
        insert(self.con, without(result.tables, have))
        self.done.update(result.ids)

    def close(self) -> None:
        self.con.execute("CHECKPOINT")
        self.con.close()


# How `sayso query` and `sayso stats` open a store: read-only, and sealed from everything else.
# No file outside the store can be read or written (COPY ... TO, read_csv, read_text, glob,
# ATTACH), no extension is installed or loaded, and the query cannot change these settings.
SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


LOCK_WAIT = 10.0  # seconds to wait for another process to let go of a store's file lock


def open_waiting(path: Path, read_only: bool = False, config: dict | None = None, wait: float = LOCK_WAIT) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect``, tried again for up to ``wait`` seconds while another process holds the
    file's lock: one writer or many readers at a time, and ``sayso serve`` reads with short
    connections, so a batch or corpus update gets in between two requests."""
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=config or {})
            con.execute("SET enable_progress_bar = false")  # DuckDB's own bar, on stdout, would break JSON output
            return con
        except duckdb.IOException as err:
            if "lock" not in str(err).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only, sandboxed connection to a store (see SANDBOX)."""
    if not path.exists():
        raise FileNotFoundError(f"no such database: {path}")
    check_store(path)
    return duckdb.connect(str(path), read_only=True, config=dict(SANDBOX))
