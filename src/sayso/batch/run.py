"""`sayso batch`: readers -> analysis on an executor -> writers, resumable.

The input is read as a stream; records an output already holds are skipped (so rerunning the same
command resumes it), the rest go to the executor in chunks and come back in input order, and this
process appends each chunk's results to every output.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sayso.batch import readers
from sayso.batch.executors import Executor
from sayso.batch.readers import Record
from sayso.batch.work import Options, PipelineError, Result
from sayso.batch.writers import JsonlWriter, Writer
from sayso.errors import InputError

CHUNK = 16  # records per chunk sent to a worker (local engines)
PARTITION = 64  # records per Dask partition


@dataclass
class Summary:
    analysed: int = 0
    errors: int = 0
    skipped: int = 0  # already done by an earlier run
    duplicates: int = 0  # ids seen twice in the input
    words: int = 0  # in the texts analysed by this run
    seconds: float = 0.0


def open_writers(out: Path | None, db: Path | None, parquet: Path | None) -> list[Writer]:
    writers: list[Writer] = []
    if out is not None:
        writers.append(JsonlWriter(out))
    if db is not None:
        from sayso.store.database import DuckDBWriter

        writers.append(DuckDBWriter(db))
    if parquet is not None:
        from sayso.store.parquet import ParquetWriter

        writers.append(ParquetWriter(parquet))
    return writers


def make_executor(engine: str, processes: int, scheduler: str | None, workers: int | None = None) -> Executor:
    from sayso.batch import executors

    if engine == "dask":
        return executors.DaskExecutor(scheduler, workers=workers or max(2, processes))  # as n_workers in main
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}: use local or dask")
    if processes > 1:
        return executors.ProcessExecutor(processes)
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
    them as done."""

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
) -> Summary:
    """Run a batch; ``executor`` replaces the one ``engine``/``processes`` would make (it is closed here)."""
    try:
        readers.kind(input)
    except ValueError as err:
        raise InputError(str(err)) from err
    if engine not in ("local", "dask"):
        raise InputError(f"unknown engine {engine!r}: use local or dask")
    writers = open_writers(out, db, parquet)
    if not writers:
        raise InputError("give --out FILE.jsonl, --db FILE.duckdb or --parquet DIR")
    # A record counts as done only when every output holds it; each output skips what it has.
    done = set.intersection(*(w.done for w in writers))
    options = Options(
        published=published,
        lines=any(w.wants_lines for w in writers),
        tables=any(w.wants_tables for w in writers),
    )
    summary = Summary()
    total = readers.count(input)
    n_workers = (workers or max(2, processes)) if engine == "dask" else processes
    size = chunk_size or chunk_for(total, PARTITION if engine == "dask" else CHUNK, n_workers)
    started = time.perf_counter()
    todo = chunked(pending(readers.read(input), done, summary), size)
    first = next(todo, None)
    if first is None:  # all done already: no need to start workers
        for closing in (executor, *writers):
            if closing is not None:
                closing.close()
        _report(summary)
        return summary
    todo = itertools.chain([first], todo)
    if executor is None:
        executor = make_executor(engine, processes, scheduler, workers)
    bar = _progress(progress)
    try:
        with bar:
            task = bar.add_task("analysing", total=total)
            guard = SetupGuard(total)
            for result in executor.map(todo, options):
                for ready in guard.check(result):
                    for writer in writers:
                        writer.write(ready)
                    summary.analysed += len(ready.ids) - len(ready.errors)
                    summary.words += ready.words
                    summary.errors += len(ready.errors)
                bar.update(task, completed=summary.analysed + summary.errors + summary.skipped + summary.duplicates)
            for ready in guard.rest():
                for writer in writers:
                    writer.write(ready)
                summary.errors += len(ready.errors)
    except PipelineError as err:
        raise InputError(str(err)) from err
    except KeyboardInterrupt:
        summary.seconds = time.perf_counter() - started
        _report(summary)
        print("sayso batch: interrupted; run the same command again to go on where it stopped", file=sys.stderr)
        raise SystemExit(130) from None
    finally:
        executor.close()
        for writer in writers:
            writer.close()
    summary.seconds = time.perf_counter() - started
    _report(summary)
    return summary


def _progress(show: bool):
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


def _report(s: Summary) -> None:
    parts = [f"{s.analysed} analysed", f"{s.errors} errors"]
    if s.words and s.seconds:
        parts[0] += f" ({s.words} words in {s.seconds:.0f} s, {s.words / s.seconds:.0f} words/s)"
    if s.skipped:
        parts.append(f"{s.skipped} already done")
    if s.duplicates:
        parts.append(f"{s.duplicates} duplicate ids skipped")
    print("sayso batch: " + ", ".join(parts), file=sys.stderr)
