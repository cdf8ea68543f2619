"""Time `sayso stories` and `sayso drift` on a store made bigger by repeating a batch store.

    python bench/bench_stories.py STORE.duckdb --copies 1 3 13

STORE is a store `sayso batch --db` made (e.g. of ../shared/data/ecbplus/docs.jsonl, 772 articles;
13 copies make 10,036). Copy k of an article gets the id ``ID~k`` and every row of every table is
repeated for it. Copies are verbatim, so they are near-duplicates of each other: the bench shows the
cost of MinHash over the whole store, of blocking and linkage over every article (copies pair up
with their original at similarity 1 and share all its candidate pairs), and of claim linking over
the originals (copies carry no claims of their own).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from sayso.corpus import build, crossclaims

TABLES = ("sentences", "cues", "entities", "mentions", "attributions", "claims", "times", "integrity")


def grow(path: Path, copies: int) -> None:
    con = duckdb.connect(str(path))
    for k in range(1, copies):
        con.execute(f"INSERT INTO articles SELECT * REPLACE (id || '~{k}' AS id) FROM articles WHERE id NOT LIKE '%~%'")
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
            con.close()
            print(f"{n:6d} articles  stories {t1 - t0:7.1f} s ({len(stories)} stories)  drift {t2 - t1:7.1f} s ({len(links)} links)", flush=True)


if __name__ == "__main__":
    main()
