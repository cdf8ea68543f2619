"""The Parquet store: ``DIR/<table>/part-<token>.parquet``, committed by ``DIR/_chunks/<token>.json``.

Parts are written under a temporary name and renamed; the chunk's marker (the ids it holds) is
written last. On opening, parts without a marker (a run killed between renames) are removed, so
what the markers list is exactly what the tables hold. A part holds ``buffer_records`` records:
`sayso batch` makes that one chunk (``--chunk-size``), so a kill loses no more than the chunks in
flight, which a rerun redoes.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sayso.store.database import without
from sayso.store.tables import SCHEMAS

MARKERS = "_chunks"


class ParquetWriter:
    name = "Parquet"
    wants_lines = False
    wants_tables = True

    def __init__(self, root: Path, buffer_records: int = 16) -> None:
        self.root = root
        self.limit = buffer_records
        (root / MARKERS).mkdir(parents=True, exist_ok=True)
        self.done = self._recover()
        self.buffer: list[dict[str, pa.Table]] = []
        self.ids: list[str] = []
        self.token = f"{int(time.time() * 1000):013d}-{os.getpid()}"
        self.parts = 0

    def _recover(self) -> set[str]:
        tokens = set()
        done: set[str] = set()
        for marker in (self.root / MARKERS).glob("*.json"):
            tokens.add(marker.stem)
            done.update(json.loads(marker.read_text(encoding="utf-8")))
        for path in self.root.glob("*/*"):
            if path.name.endswith(".tmp") or (path.suffix == ".parquet" and path.stem not in tokens):
                path.unlink()
        return done

    def write(self, result: Any) -> None:
        have = self.done.intersection(result.ids)
        self.buffer.append(without(result.tables, have))
        self.ids.extend(i for i in result.ids if i not in have)
        self.done.update(result.ids)
        if len(self.ids) >= self.limit:
            self.flush()

    def flush(self) -> None:
        if not self.ids:
            return
        self.parts += 1
        name = f"{self.token}-{self.parts:05d}"
        for table in SCHEMAS:
            parts = [b[table] for b in self.buffer if table in b and b[table].num_rows]
            if parts:
                folder = self.root / table
                folder.mkdir(exist_ok=True)
                tmp = folder / f"{name}.parquet.tmp"
                pq.write_table(pa.concat_tables(parts), tmp)
                os.replace(tmp, folder / f"{name}.parquet")
        tmp = self.root / MARKERS / f"{name}.json.tmp"
        tmp.write_text(json.dumps(self.ids), encoding="utf-8")
        os.replace(tmp, self.root / MARKERS / f"{name}.json")
        self.buffer, self.ids = [], []

    def close(self) -> None:
        self.flush()


def read_table(root: Path, name: str) -> pa.Table:
    """One table of a Parquet store (only committed parts)."""
    tokens = {m.stem for m in (root / MARKERS).glob("*.json")}
    parts = [pq.read_table(p) for p in sorted((root / name).glob("*.parquet")) if p.stem in tokens]
    return pa.concat_tables(parts) if parts else SCHEMAS[name].empty_table()
