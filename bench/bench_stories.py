"""Time `sayso stories` and `sayso drift` on a store made bigger by repeating a batch store, then an update.

    python bench/bench_stories.py STORE.duckdb --copies 4 13

STORE is a store `sayso batch --db` made (e.g. of ../shared/data/ecbplus/docs.jsonl, 772 articles;
4 copies make 3,088, 13 make 10,036). Copy k of an article gets the id ``ID~k`` and every row of every
batch table is repeated for it. A copy drops about one line in three of the text (ECB+ has a sentence a
line), chosen by a hash of line and copy, so copies are mostly not near-duplicates and the grouping has
every article to place; their sentence rows are the original's.

For each size: the full run (``stories``: ``build.ensure(rebuild=True)``; ``drift``: every story's
claims linked, embedding those not in the store yet; ``drift again``: the same with every embedding
stored), then an update: one more copy of every article (772 new articles) placed by ``build.ensure``
and linked by ``crossclaims.link(pending=True)`` (the corpus work of `sayso batch --corpus`,
`sayso stories --update` and `sayso drift`), in a child process whose peak memory is reported; then,
apart, the listing `sayso drift` prints after it (every hardened or softened link of the store: it
grows with the store, as any report of the whole store does). ``agree`` is the B³ F1 between the update's stories
and a rebuild's of the same grown store; ``links as a full relink's`` the F1 between the update's claim
links and those of every story linked afresh (same stories). Copies share their original's sentence rows, so their claims
are embedded once: a STORE whose claims are embedded already (run `sayso drift STORE` once) times the
corpus work alone. With such a STORE the two drift runs cost the same, and ``--once`` runs it once
(reported as both); ``--no-agree`` skips the rebuild and the relink the update is compared with (for
the biggest sizes, where each costs as much as the full run).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import tempfile
import time
import zlib
from pathlib import Path

import duckdb
import pyarrow as pa

from sayso.corpus import build, crossclaims
from sayso.eval.clusters import b_cubed
from sayso.store.database import open_waiting

TABLES = ("sentences", "cues", "entities", "mentions", "attributions", "claims", "times", "integrity")
CORPUS_COLUMNS = ("story_id", "duplicate_of")


def add_copies(path: Path, first: int, last: int) -> None:
    """Copies ``first`` .. ``last - 1`` of every original article, as a batch would add them (no story yet)."""
    con = open_waiting(path)
    originals = con.sql("SELECT * FROM articles WHERE id NOT LIKE '%~%'").to_arrow_table().to_pylist()
    for k in range(first, last):
        rows = []
        for r in originals:
            lines = (r["text"] or "").split("\n")
            kept = [ln for i, ln in enumerate(lines) if zlib.crc32(f"{i}/{k}".encode()) % 3 or len(lines) < 3]
            rows.append({**r, "id": f"{r['id']}~{k}", "text": "\n".join(kept), **{c: None for c in CORPUS_COLUMNS if c in r}})
        data = pa.Table.from_pylist(rows)  # noqa: F841 (read by DuckDB through its name)
        con.execute("INSERT INTO articles BY NAME SELECT * FROM data")
        for t in TABLES:
            con.execute(f"INSERT INTO {t} SELECT * REPLACE (article_id || '~{k}' AS article_id) FROM {t} WHERE article_id NOT LIKE '%~%'")
    con.close()


def grow(path: Path, copies: int) -> None:
    add_copies(path, 1, copies)


def _update(path: str, queue: multiprocessing.Queue) -> None:
    """What `sayso batch NEW --db STORE --corpus` runs after the analysis, then the listing `sayso drift` adds."""
    con = open_waiting(Path(path))
    t0 = time.perf_counter()
    build.ensure(con)
    t1 = time.perf_counter()
    crossclaims.link(con, pending=True)
    t2 = time.perf_counter()
    peak = peak_mb()
    listed = len(crossclaims.read_links(con, changes_only=True))
    t3 = time.perf_counter()
    con.close()
    queue.put((t1 - t0, t2 - t1, peak, t3 - t2, listed, peak_mb()))


def peak_mb() -> float:
    """This process's peak resident memory: VmHWM, which (unlike ru_maxrss) starts afresh at exec,
    so a child does not report the parent it was forked from."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stories_of(path: Path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    found = dict(con.execute("SELECT id, story_id FROM articles").fetchall())
    con.close()
    return found


def link_keys(path: Path) -> set[tuple]:
    """Each claim link as (from article, from sentence, to article, to sentence, change)."""
    con = duckdb.connect(str(path), read_only=True)
    found = set(con.execute("SELECT from_article, from_sentence, to_article, to_sentence, change FROM claim_links").fetchall())
    con.close()
    return found


def agreement(path: Path, tmp: Path) -> str:
    """B³ between the update's stories and a rebuild's; F1 between its claim links and a full relink's."""
    updated = stories_of(path)
    links_now = link_keys(path)
    relinked = Path(tmp) / "relinked.duckdb"
    shutil.copy(path, relinked)
    con = duckdb.connect(str(relinked))
    crossclaims.build(con)  # every story linked afresh, the stories as the update left them
    con.close()
    links_full = link_keys(relinked)
    both = len(links_now & links_full)
    links_agree = 2 * both / (len(links_now) + len(links_full)) if links_now or links_full else 1.0
    again = Path(tmp) / "rebuilt.duckdb"
    shutil.copy(path, again)
    con = duckdb.connect(str(again))
    build.ensure(con, rebuild=True)
    con.close()
    rebuilt = stories_of(again)
    agree = b_cubed(updated, rebuilt)["f1"]
    return f", agree B³ {agree:.3f}, links as a full relink's F1 {links_agree:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--copies", type=int, nargs="+", default=[4, 13])
    parser.add_argument("--no-update", action="store_true", help="Time the full run alone.")
    parser.add_argument("--once", action="store_true", help="Link the claims once (STORE's claims embedded already: the two runs cost the same).")
    parser.add_argument("--no-agree", action="store_true", help="Skip the rebuild and the relink the update is compared with.")
    args = parser.parse_args()
    for copies in args.copies:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "store.duckdb"
            shutil.copy(args.store, path)
            grow(path, copies)
            con = open_waiting(path)
            n = con.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
            t0 = time.perf_counter()
            stories = build.ensure(con, rebuild=True)
            t1 = time.perf_counter()
            links = crossclaims.build(con, changes_only=True)  # what `sayso drift` lists
            t2 = time.perf_counter()
            if not args.once:
                crossclaims.build(con, changes_only=True)
            t3 = time.perf_counter() if not args.once else t2 + (t2 - t1)
            con.close()
            line = (
                f"{n:6d} articles  stories {t1 - t0:7.1f} s ({len(stories)} stories)  drift {t2 - t1:7.1f} s ({len(links)} hardened/softened)"
                f"  drift again {t3 - t2:7.1f} s"
            )
            if not args.no_update:
                add_copies(path, copies, copies + 1)
                queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
                child = multiprocessing.get_context("spawn").Process(target=_update, args=(str(path), queue))
                child.start()
                t_stories, t_drift, peak, t_list, listed, peak_listed = queue.get()
                child.join()
                full = (t1 - t0) + (t3 - t2)
                line += (
                    f"  | +772: update stories {t_stories:6.1f} s, claim links {t_drift:6.1f} s"
                    f" ({(t_stories + t_drift) / full:.2f} of stories + drift again), peak {peak:,.0f} MB;"
                    f" listing the store's {listed:,} hardened/softened links {t_list:.1f} s (peak then {peak_listed:,.0f} MB)"
                )
                if not args.no_agree:
                    line += agreement(path, Path(tmp))
            print(line, flush=True)


if __name__ == "__main__":
    main()
