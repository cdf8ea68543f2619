"""Writers: append results to an output and know, on a rerun, which ids are already done.

Every writer commits whole records only: a kill at any moment (SIGKILL included) leaves each
output as it was after some complete chunk, and reopening it finds exactly the ids it holds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Protocol

from sayso.batch.work import Result


class Writer(Protocol):
    name: str  # in the stats: "write NAME"
    done: set[str]
    wants_lines: bool
    wants_tables: bool

    def write(self, result: Result) -> None: ...

    def close(self) -> None: ...


class JsonlWriter:
    """One report (or error row) a line, appended and flushed a chunk at a time."""

    name = "JSONL"
    wants_lines = True
    wants_tables = False

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done = self._recover() if path.exists() else set()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = path.open("ab")

    def _recover(self) -> set[str]:
        """Ids of the complete lines; a torn last line (the run was killed mid-write) is cut off."""
        done: set[str] = set()
        good = 0
        with self.path.open("rb") as fh:
            for line in fh:
                if not line.endswith(b"\n"):
                    break
                try:
                    rid = json.loads(line)["id"]
                except (ValueError, KeyError, TypeError):
                    break
                done.add(str(rid))
                good += len(line)
        if good < self.path.stat().st_size:
            with self.path.open("r+b") as fh:
                fh.truncate(good)
        return done

    def write(self, result: Result) -> None:
        lines = [line for rid, line in zip(result.ids, result.lines, strict=True) if rid not in self.done]
        if not lines:
            return
        self.fh.write(("\n".join(lines) + "\n").encode("utf-8"))
        self.fh.flush()
        self.done.update(result.ids)

    def close(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
