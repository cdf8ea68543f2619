"""The product path for corpus evaluations: records → ``sayso batch --db`` → a store.

Given ``db``, the store is kept (a second run resumes and analyses nothing again); without it a
temporary store is used and removed.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def batch_store(records: Sequence[dict[str, Any]], db: Path | None = None, processes: int = 1) -> Iterator[Path]:
    from sayso.batch import run as batch_run

    with tempfile.TemporaryDirectory(prefix="sayso-eval-") as tmp:
        feed = Path(tmp) / "records.jsonl"
        with feed.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        path = db or Path(tmp) / "store.duckdb"
        batch_run.main(feed, db=path, processes=processes, progress=False)
        yield path
