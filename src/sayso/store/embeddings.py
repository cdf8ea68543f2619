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
    con: duckdb.DuckDBPyConnection,
    texts: Sequence[str],
    model: Paraphraser | Callable[[], Paraphraser],
    progress: Progress | None = None,
) -> np.ndarray:
    """One row per text, read from the store or embedded now and stored. ``model`` may be a function
    that loads it: it is called only when a text is missing. Stored vectors are read as one float32
    matrix (a Python list of 384 floats each would cost some 12 KB a vector)."""
    ensure_table(con)
    keys = [key(t) for t in texts]
    wanted = pa.table({"key": pa.array(sorted(set(keys)), pa.string())})  # noqa: F841 (read by DuckDB)
    found = con.sql("SELECT e.key, e.vector FROM embeddings e JOIN wanted w ON e.key = w.key").to_arrow_table()
    parts = [_matrix(found.column("vector"))]
    at = {k: r for r, k in enumerate(found.column("key").to_pylist())}
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in at}.items())
    if missing and not hasattr(model, "embed"):
        model = model()  # type: ignore[operator]
    for s in range(0, len(missing), CHUNK):
        part = missing[s : s + CHUNK]
        made = model.embed([t for _, t in part])  # type: ignore[union-attr]
        rows = pa.table({  # noqa: F841 (read by DuckDB)
            "key": pa.array([k for k, _ in part], pa.string()),
            "vector": pa.array(list(made), pa.list_(pa.float32(), DIMENSIONS)),
        })
        con.execute("INSERT INTO embeddings SELECT key, vector FROM rows ON CONFLICT DO NOTHING")
        at.update({k: len(at) + j for j, (k, _) in enumerate(part)})
        parts.append(made.astype(np.float32, copy=False))
        if progress is not None:
            progress(min(s + CHUNK, len(missing)), len(missing))
    matrix = np.concatenate(parts) if len(parts) > 1 else parts[0]
    return matrix[np.fromiter((at[k] for k in keys), dtype=np.int64, count=len(keys))]


def _matrix(column: pa.ChunkedArray) -> np.ndarray:
    """A column of FLOAT[384] as an (n, 384) float32 matrix."""
    flat = column.combine_chunks().flatten() if len(column) else pa.array([], pa.float32())
    return np.asarray(flat.to_numpy(zero_copy_only=False), dtype=np.float32).reshape(-1, DIMENSIONS)
