"""Speed of sayso against the bare spaCy parse, on the same texts in one run.

    python bench/bench_batch.py ../shared/data/polnear/train/text --limit 200

Measures (all warm: models loaded and workers started before the clock starts):
  bare parse      spacy.load(MODEL) with all its components, nlp.pipe, one process
  analysis        Analyzer.pipe (integrity repair, language check, pipeline, report), one process
  batch 1 proc    `sayso batch` local engine: read, analyse, write JSONL (and --db if asked)
  batch 2 procs   the same with 2 worker processes
  bare 2 procs    nlp.pipe(n_process=2), for reference (its start-up is inside the clock)
  dask 2 workers  the same on a local Dask cluster of 2 worker processes
then the time each pipeline component takes on the same texts. Prints words/s and ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import psutil
import spacy

from sayso import pipeline
from sayso.analyzer import Analyzer, Article
from sayso.batch import readers, run
from sayso.batch.executors import DaskExecutor, ProcessExecutor, run_chunk
from sayso.batch.work import Options, to_article


def load_texts(path: Path, limit: int | None) -> list[readers.Record]:
    records = []
    for rec in readers.read(path):
        records.append(rec)
        if limit and len(records) >= limit:
            break
    return records


def subset(records: list[readers.Record], folder: Path) -> Path:
    """The chosen records as a JSONL the batch runs read (so all runs read the same texts)."""
    path = folder / "input.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            art = to_article(rec)
            fh.write(json.dumps({"id": rec.id, "text": art.text, **art.meta}) + "\n")
    return path


@dataclass
class Timing:
    wall: float  # seconds on the clock
    cpu: float  # CPU seconds of all the processes that did the work
    busiest: float  # CPU seconds of the busiest of them (= cpu for one process)


def timed(fn) -> Timing:
    """On a shared machine the CPU seconds are the steadier measure: the wall clock of a run also
    counts the time other people's jobs held the cores."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    cpu = time.process_time() - c0
    return Timing(time.perf_counter() - t0, cpu, cpu)


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    out = {}
    for pid in pids:
        t = psutil.Process(pid).cpu_times()
        out[pid] = t.user + t.system
    return out


class Measured:
    """An executor whose worker processes' CPU time is read when the run starts and ends."""

    def __init__(self, executor, pids: list[int]) -> None:
        self.executor, self.pids = executor, pids
        self.start = cpu_seconds(pids)
        self.used: dict[int, float] = {}

    def map(self, chunks, options):
        return self.executor.map(chunks, options)

    def close(self) -> None:
        end = cpu_seconds(self.pids)
        self.used = {pid: end[pid] - self.start[pid] for pid in self.pids}
        self.executor.close()


def timed_workers(fn, measured: Measured) -> Timing:
    t = timed(fn)
    return Timing(t.wall, t.cpu + sum(measured.used.values()), max(measured.used.values()))


def bare_parse(texts: list[str], n_process: int = 1) -> Timing:
    nlp = spacy.load(pipeline.MODEL)
    list(nlp.pipe(texts[:20]))  # warm
    if n_process == 1:
        return timed(lambda: list(nlp.pipe(texts, batch_size=32)))
    # spaCy starts its workers inside pipe(), so this one includes their start-up
    # (its workers' CPU time is not measured: they are gone before it could be read)
    t = timed(lambda: list(nlp.pipe(texts, batch_size=32, n_process=n_process)))
    return Timing(t.wall, float("nan"), float("nan"))


def loaded_pid(sample: list[readers.Record]) -> int:
    run_chunk(sample, Options())
    time.sleep(0.5)  # hold this worker so that the next task goes to another
    return os.getpid()


def warm_processes(executor: ProcessExecutor, sample: list[readers.Record]) -> None:
    """Returns once every worker has loaded its pipeline and analysed a text, so that no model
    loading falls inside the measured run."""
    seen: set[int] = set()
    while len(seen) < executor.processes:
        futures = [executor.pool.submit(loaded_pid, sample[:1]) for _ in range(executor.processes)]
        seen.update(f.result() for f in futures)


def warm_dask(executor: DaskExecutor, sample: list[readers.Record]) -> None:
    from sayso.batch.executors import run_partition

    futures = [
        executor.client.submit(
            run_partition, sample[:1], Options(), workers=[addr], pure=False, allow_other_workers=False
        )
        for addr in executor.client.nthreads()
    ]
    executor.client.gather(futures)


def profile_components(texts: list[str], analyzer: Analyzer) -> dict[str, float]:
    """CPU seconds per step of the full analysis, the pipeline's components one by one."""
    from sayso import integrity, report
    from sayso.analyzer import check_text

    nlp = analyzer.nlp
    spent: dict[str, float] = defaultdict(float)
    batch = 32
    for i in range(0, len(texts), batch):
        chunk = texts[i : i + batch]
        t0 = time.process_time()
        for t in chunk:
            check_text(t)
        spent["(language check)"] += time.process_time() - t0
        t0 = time.process_time()
        repaired = [integrity.repair(t) for t in chunk]
        spent["(integrity repair)"] += time.process_time() - t0
        t0 = time.process_time()
        docs = [nlp.make_doc(r.text) for r in repaired]
        spent["(tokenizer)"] += time.process_time() - t0
        for name, proc in nlp.pipeline:
            t0 = time.process_time()
            docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            spent[name] += time.process_time() - t0
        t0 = time.process_time()
        reports = [report.build(d, r, "x", {}) for d, r in zip(docs, repaired, strict=True)]
        spent["(report)"] += time.process_time() - t0
        t0 = time.process_time()
        for r in reports:
            json.dumps(r.to_dict(), ensure_ascii=False)
        spent["(json)"] += time.process_time() - t0
    return dict(spent)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="A folder of .txt/.html, a JSONL or a WARC (as `sayso batch` reads).")
    ap.add_argument("--limit", type=int, default=None, help="Use the first N records.")
    ap.add_argument("--db", action="store_true", help="Batch runs also write DuckDB tables.")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = ap.parse_args()

    records = load_texts(args.data, args.limit)
    tmp = Path(tempfile.mkdtemp(prefix="sayso-bench-"))
    src = subset(records, tmp)
    rows = [readers.record_from_json(json.loads(line), i, b"") for i, line in enumerate(src.open("rb"), 1)]
    texts = [str(r.content) for r in rows]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} texts, {words} words (whitespace-separated), from {args.data}", file=sys.stderr)

    results: list[tuple[str, Timing]] = []
    load_before = os.getloadavg()

    results.append(("bare parse (nlp.pipe, 1 proc)", bare_parse(texts)))

    analyzer = Analyzer(pipeline.shared())
    list(analyzer.pipe([Article(t, id=r.id, meta=r.meta) for t, r in zip(texts[:20], rows, strict=False)]))
    arts = [Article(t, id=r.id, meta=r.meta) for t, r in zip(texts, rows, strict=True)]
    results.append(("analysis (Analyzer.pipe, 1 proc)", timed(lambda: list(analyzer.pipe(arts, batch_size=32)))))

    def batch(name: str, measured: Measured | None = None, **kw) -> Timing:
        out = tmp / f"{name}.jsonl"
        db = tmp / f"{name}.duckdb" if args.db else None
        if measured is None:
            return timed(lambda: run.main(src, out=out, db=db, progress=False, **kw))
        return timed_workers(lambda: run.main(src, out=out, db=db, progress=False, executor=measured, **kw), measured)

    results.append(("batch, local engine, 1 proc", batch("one")))
    pool = ProcessExecutor(2)
    warm_processes(pool, rows)
    results.append(
        ("batch, local engine, 2 procs", batch("two", Measured(pool, list(pool.pool._processes)), processes=2))
    )
    results.append(("bare parse (nlp.pipe, 2 procs)", bare_parse(texts, 2)))
    if not args.skip_dask:
        dask = DaskExecutor(workers=2)
        warm_dask(dask, rows)
        pids = list(dask.client.run(os.getpid).values())
        results.append(("batch, dask engine, 2 workers", batch("dask", Measured(dask, pids), engine="dask", workers=2)))

    profile = profile_components(texts, analyzer)

    bare, one = results[0][1], results[2][1]
    print(
        f"\n{'run':34s} {'wall s':>7s} {'words/s':>8s} {'x bare':>7s} {'speed-up':>8s}"
        f" {'CPU s':>7s} {'CPU x bare':>10s} {'busiest':>7s} {'CPU-bound speed-up':>18s}"
    )
    for name, t in results:
        print(
            f"{name:34s} {t.wall:7.2f} {words / t.wall:8.0f} {t.wall / bare.wall:7.2f} {one.wall / t.wall:8.2f}"
            f" {t.cpu:7.2f} {t.cpu / bare.cpu:10.2f} {t.busiest:7.2f} {one.busiest / t.busiest:18.2f}"
        )
    print(
        "x bare: wall time over the bare parse's; speed-up: batch 1 proc's wall time over this one's; CPU s: all\n"
        "processes; busiest: CPU s of the busiest process; CPU-bound speed-up: batch 1 proc's CPU s over the\n"
        "busiest process's, i.e. the speed-up on cores nobody else uses."
    )
    print(
        f"load average (1 min) before/after: {load_before[0]:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    total = sum(profile.values())
    print(f"\n{'step of the analysis (1 proc)':40s} {'CPU s':>8s} {'share':>7s}")
    for name, sec in sorted(profile.items(), key=lambda kv: -kv[1]):
        print(f"{name:40s} {sec:8.2f} {sec / total:7.1%}")
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS: this process {peak_self:.0f} MiB, largest worker process {peak_children:.0f} MiB")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"texts": len(texts), "words": words, "runs": {k: vars(t) for k, t in results}, "profile": profile},
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
