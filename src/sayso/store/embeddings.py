"""The store's sentence embeddings, keyed by a hash of the text: computed once, read by every rebuild.

Table ``embeddings (key VARCHAR, vector FLOAT[384])``. The key is the first 16 bytes of the text's
SHA-1 (hex), so the same sentence in two articles, or in an article analysed again, is embedded once.
New vectors are committed as they are made (in chunks), outside the corpus layer's transaction: they
are a cache that is always right, and an interrupted build keeps what it embedded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import duckdb
import numpy as np
import pyarrow as pa

from sayso.corpus.paraphrase import DIMENSIONS, Paraphraser

CHUNK = 256
Progress = Callable[[int, int], None]  # (texts embedded so far, texts to embed)


def key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS embeddings (key VARCHAR PRIMARY KEY, vector FLOAT[{DIMENSIONS}])")


def vectors(
    con: duckdb.DuckDBPyConnection, texts: Sequence[str], model: Paraphraser, progress: Progress | None = None
) -> np.ndarray:
    """One row per text, read from the store or embedded now and stored."""
    ensure_table(con)
    keys = [key(t) for t in texts]
    wanted = pa.table({"key": pa.array(sorted(set(keys)), pa.string())})  # noqa: F841 (read by DuckDB)
    have = dict(con.execute("SELECT e.key, e.vector FROM embeddings e JOIN wanted w ON e.key = w.key").fetchall())
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in have}.items())
    for s in range(0, len(missing), CHUNK):
        part = missing[s : s + CHUNK]
        made = model.embed([t for _, t in part])
        rows = pa.table({  # noqa: F841 (read by DuckDB)
            "key": pa.array([k for k, _ in part], pa.string()),
            "vector": pa.array(list(made), pa.list_(pa.float32(), DIMENSIONS)),
        })
        con.execute("INSERT INTO embeddings SELECT key, vector FROM rows ON CONFLICT DO NOTHING")
        have.update({k: v for (k, _), v in zip(part, made, strict=True)})
        if progress is not None:
            progress(min(s + CHUNK, len(missing)), len(missing))
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for r, k in enumerate(keys):
        out[r] = have[k]
    return out
