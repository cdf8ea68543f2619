"""Time `sayso stories` and `sayso drift` on a store made bigger by repeating a batch store.

    python bench/bench_stories.py STORE.duckdb --copies 1 3 13

STORE is a store `sayso batch --db` made (e.g. of ../shared/data/ecbplus/docs.jsonl, 772 articles;
13 copies make 10,036). Copy k of an article gets the id ``ID~k`` and every row of every table is
repeated for it. A copy drops about one line in three of the text (ECB+ has a sentence a line), chosen by a hash
of line and copy, so copies are mostly not near-duplicates and the grouping has every article to place;
their sentence rows are the original's. The bench shows the cost of MinHash, blocking and linkage
over every article and of claim linking over the stories' sentences. The first drift embeds the
claims (paraphrase model) and keeps the vectors in the store; ``drift again`` is a second run, which
reads them back. Copies share their original's sentence rows, so their claims are embedded once.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import zlib
from pathlib import Path

import duckdb
import pyarrow as pa

from sayso.corpus import build, crossclaims

TABLES = ("sentences", "cues", "entities", "mentions", "attributions", "claims", "times", "integrity")


def grow(path: Path, copies: int) -> None:
    con = duckdb.connect(str(path))
    originals = con.sql("SELECT * FROM articles").to_arrow_table().to_pylist()
    for k in range(1, copies):
        rows = []
        for r in originals:
            lines = (r["text"] or "").split("\n")
            kept = [ln for i, ln in enumerate(lines) if zlib.crc32(f"{i}/{k}".encode()) % 3 or len(lines) < 3]
            rows.append({**r, "id": f"{r['id']}~{k}", "text": "\n".join(kept)})
        data = pa.Table.from_pylist(rows)  # noqa: F841 (read by DuckDB through its name)
        con.execute("INSERT INTO articles BY NAME SELECT * FROM data")
        for t in TABLES:
            con.execute(f"INSERT INTO {t} SELECT * REPLACE (article_id || '~{k}' AS article_id) FROM {t} WHERE article_id NOT LIKE '%~%'")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 3, 13])
    args = parser.parse_args()
    for copies in args.copies:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "store.duckdb"
            shutil.copy(args.store, path)
            grow(path, copies)
            con = duckdb.connect(str(path))
            n = con.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
            t0 = time.perf_counter()
            stories = build.ensure(con, rebuild=True)
            t1 = time.perf_counter()
            links = crossclaims.build(con)
            t2 = time.perf_counter()
            crossclaims.build(con)
            t3 = time.perf_counter()
            con.close()
            print(
                f"{n:6d} articles  stories {t1 - t0:7.1f} s ({len(stories)} stories)  drift {t2 - t1:7.1f} s ({len(links)} links)"
                f"  drift again {t3 - t2:7.1f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
