"""Speed of sayso against the bare spaCy parse, on the same texts in one run.

    python bench/bench_batch.py /work/shared/data/polnear/train/text --limit 200

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
from pathlib import Path

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


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): on a shared machine the CPU time of the
    one-process runs is the steadier measure; the multi-process runs only have wall time."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def bare_parse(texts: list[str], n_process: int = 1) -> tuple[float, float]:
    nlp = spacy.load(pipeline.MODEL)
    list(nlp.pipe(texts[:20]))  # warm
    if n_process > 1:  # spaCy starts its workers inside pipe(), so this one includes their start-up
        return timed(lambda: list(nlp.pipe(texts, batch_size=32, n_process=n_process)))
    return timed(lambda: list(nlp.pipe(texts, batch_size=32)))


def warm_processes(executor: ProcessExecutor, sample: list[readers.Record]) -> None:
    futures = [executor.pool.submit(run_chunk, sample[:1], Options()) for _ in range(executor.processes * 2)]
    for f in futures:
        f.result()


def warm_dask(executor: DaskExecutor, sample: list[readers.Record]) -> None:
    from sayso.batch.executors import run_partition

    futures = [
        executor.client.submit(run_partition, sample[:1], Options(), workers=[addr], pure=False, allow_other_workers=False)
        for addr in executor.client.nthreads()
    ]
    executor.client.gather(futures)


def profile_components(texts: list[str], analyzer: Analyzer) -> dict[str, float]:
    """Seconds per step of the full analysis, the pipeline's components one by one."""
    from sayso import integrity, report
    from sayso.analyzer import check_text

    nlp = analyzer.nlp
    spent: dict[str, float] = defaultdict(float)
    batch = 32
    for i in range(0, len(texts), batch):
        chunk = texts[i : i + batch]
        t0 = time.perf_counter()
        for t in chunk:
            check_text(t)
        spent["(language check)"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        repaired = [integrity.repair(t) for t in chunk]
        spent["(integrity repair)"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        docs = [nlp.make_doc(r.text) for r in repaired]
        spent["(tokenizer)"] += time.perf_counter() - t0
        for name, proc in nlp.pipeline:
            t0 = time.perf_counter()
            docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            spent[name] += time.perf_counter() - t0
        t0 = time.perf_counter()
        reports = [report.build(d, r, "x", {}) for d, r in zip(docs, repaired, strict=True)]
        spent["(report)"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        for r in reports:
            json.dumps(r, ensure_ascii=False)
        spent["(json)"] += time.perf_counter() - t0
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

    results: list[tuple[str, tuple[float, float]]] = []
    load_before = os.getloadavg()

    results.append(("bare parse (nlp.pipe, 1 proc)", bare_parse(texts)))

    analyzer = Analyzer(pipeline.shared())
    list(analyzer.pipe([Article(t, id=r.id, meta=r.meta) for t, r in zip(texts[:20], rows, strict=False)]))
    arts = [Article(t, id=r.id, meta=r.meta) for t, r in zip(texts, rows, strict=True)]
    results.append(("analysis (Analyzer.pipe, 1 proc)", timed(lambda: list(analyzer.pipe(arts, batch_size=32)))))

    def batch(name: str, **kw) -> tuple[float, float]:
        out = tmp / f"{name}.jsonl"
        db = tmp / f"{name}.duckdb" if args.db else None
        return timed(lambda: run.main(src, out=out, db=db, progress=False, **kw))

    results.append(("batch, local engine, 1 proc", batch("one")))
    pool = ProcessExecutor(2)
    warm_processes(pool, rows)
    results.append(("batch, local engine, 2 procs", batch("two", processes=2, executor=pool)))
    results.append(("bare parse (nlp.pipe, 2 procs)", bare_parse(texts, 2)))
    if not args.skip_dask:
        dask = DaskExecutor(workers=2)
        warm_dask(dask, rows)
        results.append(("batch, dask engine, 2 workers", batch("dask", engine="dask", executor=dask)))

    profile = profile_components(texts, analyzer)

    base, base_cpu = results[0][1]
    one = results[2][1][0]
    print(f"\n{'run':34s} {'wall s':>7s} {'words/s':>8s} {'x bare':>7s} {'vs 1 proc':>9s} {'CPU s':>7s} {'CPU x bare':>10s}")
    for name, (sec, cpu) in results:
        single = "1 proc" in name
        cpu_cols = f"{cpu:7.2f} {cpu / base_cpu:10.2f}" if single else f"{'':7s} {'':10s}"
        print(f"{name:34s} {sec:7.2f} {words / sec:8.0f} {sec / base:7.2f} {one / sec:9.2f} {cpu_cols}")
    print(f"load average (1 min) before/after: {load_before[0]:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    total = sum(profile.values())
    print(f"\n{'step of the analysis (1 proc)':40s} {'seconds':>8s} {'share':>7s}")
    for name, sec in sorted(profile.items(), key=lambda kv: -kv[1]):
        print(f"{name:40s} {sec:8.2f} {sec / total:7.1%}")
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS: this process {peak_self:.0f} MiB, largest worker process {peak_children:.0f} MiB")
    if args.json:
        args.json.write_text(
            json.dumps({"texts": len(texts), "words": words, "runs": {k: {"wall": w, "cpu": c} for k, (w, c) in results}, "profile": profile}, indent=2),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
