"""`sayso batch`: readers -> analysis on an executor -> writers, resumable.

The input is read as a stream; records an output already holds are skipped (so rerunning the same
command resumes it), the rest go to the executor in chunks and come back in input order, and this
process appends each chunk's results to every output. At the end the run's stats (errors by
reason, time by stage and component, words/s) are printed and written beside the outputs.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from sayso.batch import readers, stats
from sayso.batch.executors import Executor
from sayso.batch.readers import Record
from sayso.batch.stats import Summary
from sayso.batch.work import Options, PipelineError, Result
from sayso.batch.writers import JsonlWriter, Writer
from sayso.errors import InputError
from sayso.language import check_code

CHUNK = 16  # records per chunk sent to a worker (local engines)
PARTITION = 64  # records per Dask partition

__all__ = ["Summary", "main"]


def open_writers(out: Path | None, db: Path | None, parquet: Path | None, part_records: int = CHUNK) -> list[Writer]:
    """The outputs asked for; a Parquet part holds ``part_records`` records (one chunk), so a kill
    loses no more than the chunks in flight."""
    writers: list[Writer] = []
    if out is not None:
        writers.append(JsonlWriter(out))
    if db is not None:
        from sayso.store.database import DuckDBWriter

        writers.append(DuckDBWriter(db))
    if parquet is not None:
        from sayso.store.parquet import ParquetWriter

        writers.append(ParquetWriter(parquet, buffer_records=part_records))
    return writers


def make_executor(
    engine: str, processes: int, scheduler: str | None, workers: int | None = None, tier: str = "fast"
) -> Executor:
    from sayso.batch import executors

    if engine == "dask":
        return executors.DaskExecutor(scheduler, workers=workers or max(2, processes))  # as n_workers in main
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}: use local or dask")
    if processes > 1:
        return executors.ProcessExecutor(processes, tier=tier)
    return executors.LocalExecutor()


def pending(records: Iterable[Record], done: set[str], summary: Summary) -> Iterator[Record]:
    """The records still to do; a record whose id came earlier in this input is skipped too."""
    seen: set[str] = set()
    for rec in records:
        if rec.id in done:
            summary.skipped += 1
        elif rec.id in seen:
            summary.duplicates += 1
        else:
            seen.add(rec.id)
            yield rec


class SetupGuard:
    """Holds results back while every record so far failed unexpectedly: when the first
    ``threshold`` records all fail that way the set-up is broken (a model file missing, say), and
    the batch stops without writing them, so a rerun after the fix does them instead of skipping
    them as done. A record's known fault (an InputError: bad JSON, a bad date) is never unexpected."""

    def __init__(self, total: int | None, threshold: int = 8) -> None:
        self.threshold = min(threshold, total) if total else threshold
        self.held: list[Result] = []
        self.settled = False

    def check(self, result: Result) -> list[Result]:
        if self.settled:
            return [result]
        if result.ids and len(result.unexpected) == len(result.ids):
            self.held.append(result)
            failed = sum(len(r.ids) for r in self.held)
            if failed >= self.threshold:
                reason = self.held[0].unexpected[0]
                raise InputError(f"the analysis fails on every record ({failed} so far): {reason}; nothing was written")
            return []
        self.settled = True
        held, self.held = self.held, []
        return [*held, result]

    def rest(self) -> list[Result]:
        held, self.held = self.held, []
        return held


def chunk_for(total: int | None, largest: int, workers: int) -> int:
    """Chunks small enough that a short input still keeps every worker busy."""
    if total is None or workers <= 1:
        return largest
    return max(1, min(largest, total // (8 * workers)))


def chunked(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _check_input(input: Path, engine: str) -> None:
    try:
        readers.kind(input)
    except ValueError as err:
        raise InputError(str(err)) from err
    if engine not in ("local", "dask"):
        raise InputError(f"unknown engine {engine!r}: use local or dask")


def main(
    input: Path,
    out: Path | None = None,
    db: Path | None = None,
    parquet: Path | None = None,
    processes: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    published: str | None = None,
    progress: bool = True,
    chunk_size: int | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
    max_bytes: int | None = None,
    tier: str = "fast",
    language: str | None = None,
) -> Summary:
    """Run a batch; ``executor`` replaces the one ``engine``/``processes`` would make (it is closed here).
    ``tier``: "fast" or "accurate", as ``sayso.encoder.tier.resolve`` gives it. ``language``: None to
    analyse each article in its own language, or a code that forces one."""
    _check_input(input, engine)
    if out is None and db is None and parquet is None:
        raise InputError("give --out FILE.jsonl, --db FILE.duckdb or --parquet DIR")
    total = readers.count(input, max_bytes)
    n_workers = (workers or max(2, processes)) if engine == "dask" else processes
    size = chunk_size or chunk_for(total, PARTITION if engine == "dask" else CHUNK, n_workers)
    writers = open_writers(out, db, parquet, part_records=size)
    # A record counts as done only when every output holds it; each output skips what it has.
    done = set.intersection(*(w.done for w in writers))
    options = Options(
        published=published,
        lines=any(w.wants_lines for w in writers),
        tables=any(w.wants_tables for w in writers),
        max_bytes=max_bytes,
        tier=tier,
        language=None if language is None else check_code(language),
    )
    summary = Summary()
    started = time.perf_counter()
    records = stats.timed(readers.read(input, max_bytes), summary.stages, "read")
    todo = chunked(pending(records, done, summary), size)
    first = next(todo, None)
    if first is not None and executor is None:  # no worker is started when everything is done already
        executor = make_executor(engine, processes, scheduler, workers, tier)
    try:
        if first is not None and executor is not None:
            _run(executor, itertools.chain([first], todo), writers, options, summary, total, progress)
    except PipelineError as err:
        raise InputError(str(err)) from err
    except KeyboardInterrupt:
        _finish(summary, started, None)
        print("sayso batch: interrupted; run the same command again to go on where it stopped", file=sys.stderr)
        raise SystemExit(130) from None
    finally:
        for closing in (executor, *writers):
            if closing is not None:
                closing.close()
    _finish(summary, started, stats.stats_path(out, db, parquet))
    return summary


def _run(
    executor: Executor,
    chunks: Iterable[list[Record]],
    writers: list[Writer],
    options: Options,
    summary: Summary,
    total: int | None,
    progress: bool,
) -> None:
    """Chunks through the executor, each result to every writer, the progress bar kept up."""
    bar = progress_bar(progress)
    with bar:
        task = bar.add_task("analysing", total=total)
        guard = SetupGuard(total)
        for result in executor.map(chunks, options):
            for ready in guard.check(result):
                _write(ready, writers, summary)
                summary.add(ready)
            bar.update(task, completed=summary.analysed + summary.errors + summary.skipped + summary.duplicates)
        for ready in guard.rest():
            _write(ready, writers, summary)
            summary.add(ready, analysed=False)


def _write(result: Result, writers: list[Writer], summary: Summary) -> None:
    for writer in writers:
        t0 = time.perf_counter()
        writer.write(result)
        summary.stages[f"write {writer.name}"] += time.perf_counter() - t0


def _finish(summary: Summary, started: float, path: Path | None) -> None:
    summary.seconds = time.perf_counter() - started
    stats.write(summary, path)
    stats.report(summary, path)


def progress_bar(show: bool):
    """The progress bar of long commands (on stderr; ``show`` False: none)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not show,
        transient=False,
    )
