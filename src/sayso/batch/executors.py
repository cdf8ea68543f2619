"""Executors: run ``work.run_chunk`` over a stream of chunks and hand back results in input order.

All three run the same step on the same chunks, so they produce the same rows; they differ only
in where the work happens. Each keeps a bounded number of chunks in flight, so a huge input never
piles up in memory, and each worker loads the pipeline once and keeps it.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from sayso.batch.readers import Record
from sayso.batch.work import DIED, Options, PipelineError, Result, died, merge, run_chunk, worker_analyzer


class Executor(Protocol):
    def map(self, chunks: Iterable[list[Record]], options: Options) -> Iterator[Result]: ...

    def close(self) -> None: ...


@dataclass
class Task:
    """A chunk on its way through an executor: ``future`` is whatever the executor waits on."""

    chunk: list[Record]
    future: Any


def bounded(submit: Callable[[list[Record]], Task], chunks: Iterable[list[Record]], limit: int) -> Iterator[Task]:
    """Submit chunks, at most ``limit`` in flight, and yield the tasks in input order: the caller
    waits on each before the next chunk is submitted, so a huge input never piles up in memory."""
    pending: deque[Task] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= limit:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


def one_by_one(
    chunk: list[Record],
    options: Options,
    run_one: Callable[[Record], Result],
    crashed: type[BaseException],
    after_crash: Callable[[], None] = lambda: None,
) -> Result:
    """The crash fallback: a chunk that killed its worker is redone one record at a time, and the
    record that kills a worker again becomes an error row (the others are analysed)."""
    parts = []
    for rec in chunk:
        try:
            parts.append(run_one(rec))
        except crashed:
            after_crash()
            parts.append(died(rec, options))
    return merge(parts)


class LocalExecutor:
    """Everything in this process."""

    def map(self, chunks: Iterable[list[Record]], options: Options) -> Iterator[Result]:
        for chunk in chunks:
            yield run_chunk(chunk, options)

    def close(self) -> None:
        pass


def one_blas_thread() -> None:
    """Worker processes each run one BLAS thread: numpy's OpenBLAS starts one thread per core in
    every process, and two workers on two cores then fight over them (measured: 2 processes used
    31% more CPU than one for the same texts; with one BLAS thread each, 5%)."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:
        pass


PARENT_CHECK_S = 1.0  # how often a worker looks whether the batch process is still there


def exit_with_parent(parent: int, every_s: float = PARENT_CHECK_S) -> None:
    """Ends this worker process soon after ``parent``, the process that started it, dies (kill -9
    included, which gives the pool no chance to stop its workers): a daemon thread polls the
    parent's pid. ``parent`` comes from the parent itself: a worker still starting up when the
    parent dies would otherwise read its new parent (init) and wait for that one forever."""
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(every_s)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="sayso-parent-watch", daemon=True).start()


def _warm(parent: int, tier: str) -> None:
    exit_with_parent(parent)
    one_blas_thread()
    try:
        worker_analyzer(tier)
    except Exception:  # noqa: BLE001  (it fails again in the first task, where the error is reported)
        pass


POLL_S = 1.0  # how often a waiting chunk checks on the pool's workers
STUCK_S = 10.0  # a worker dead this long with no reply from the pool: the pool is stuck


class ProcessExecutor:
    """``processes`` worker processes on this machine; this process only reads and writes.

    A record that kills its worker (a crash in native code, the out-of-memory killer) is an error
    row like any bad record: the pool is restarted, the chunk that was hit is redone one record at
    a time to find it, and the chunks in flight are sent again. Workers exit by themselves when
    this process dies.
    """

    DIED = DIED

    def __init__(
        self, processes: int, step: Callable[[list[Record], Options], Result] = run_chunk, tier: str = "fast"
    ) -> None:
        self.processes = processes
        self.tier = tier  # what the workers load while they wait for their first chunk
        self.step = step
        self.limit = 2 * processes + 1
        self.live: deque[Task] = deque()  # submitted, not yet taken, in input order
        self.pool = self._start()

    def _start(self) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn: the parent may run threads (the progress bar), which fork does not survive safely.
        return ProcessPoolExecutor(
            self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_warm,
            initargs=(os.getpid(), self.tier),
        )

    def _restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._start()

    def map(self, chunks: Iterable[list[Record]], options: Options) -> Iterator[Result]:
        def submit(chunk: list[Record]) -> Task:
            task = Task(chunk, self._submit(chunk, options))
            self.live.append(task)
            return task

        for task in bounded(submit, chunks, self.limit):
            self.live.popleft()
            yield self._take(task, options)

    def _submit(self, chunk: list[Record], options: Options) -> Any:
        """The chunk's future; None when the pool is already broken (a worker died while this
        process was reading): the chunk is sent again when the pool is restarted."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(self.step, chunk, options)
        except BrokenProcessPool:
            return None

    def _take(self, task: Task, options: Options) -> Result:
        from concurrent.futures.process import BrokenProcessPool

        try:
            if task.future is None:
                raise BrokenProcessPool("the pool broke before this chunk was sent")
            return self._result(task.future)
        except BrokenProcessPool:
            self._restart()
            result = one_by_one(
                task.chunk,
                options,
                lambda rec: self._result(self.pool.submit(self.step, [rec], options)),
                BrokenProcessPool,
                self._restart,
            )
            for other in self.live:  # they died with the pool
                other.future = self._submit(other.chunk, options)
            return result

    def _result(self, future: Any) -> Result:
        """``future.result()``, watched: a worker killed while it was writing its reply leaves the
        pool's reader thread waiting forever on half a message (CPython's pool then never notices the
        death). A worker dead for ``STUCK_S`` with this future still open breaks the pool here."""
        from concurrent.futures.process import BrokenProcessPool

        dead_since = None
        while True:
            try:
                return future.result(timeout=POLL_S)
            except TimeoutError:
                pass
            processes = list((getattr(self.pool, "_processes", None) or {}).values())
            if not any(p.exitcode is not None for p in processes):
                dead_since = None
            elif dead_since is None:
                dead_since = time.monotonic()
            elif time.monotonic() - dead_since > STUCK_S:
                self._unstick(processes)
                raise BrokenProcessPool("a worker died and the pool did not notice")

    def _unstick(self, processes: list[Any]) -> None:
        """Free the stuck pool's reader thread: with every worker gone and this process's end of the
        result pipe closed, its read ends, so it marks the pool broken and exits (and so can we)."""
        for proc in processes:
            if proc.exitcode is None:
                proc.kill()
                proc.join(5)
        queue = getattr(self.pool, "_result_queue", None)
        writer = getattr(queue, "_writer", None)
        if writer is not None:
            writer.close()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


# -- Dask -------------------------------------------------------------------------------------


def parquet_bytes(table: Any) -> bytes:
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def read_parquet_bytes(data: bytes) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    return pq.read_table(pa.BufferReader(data))


def run_partition(records: list[Record], options: Options, step: Callable[..., Result] = run_chunk) -> Result:
    """The Dask task: analyse one partition and return its tables as Parquet parts."""
    one_blas_thread()
    result = step(records, options)
    result.tables = {name: parquet_bytes(t) for name, t in result.tables.items()}
    return result


class DaskExecutor:
    """Partitions run as tasks on a Dask cluster: the one at ``scheduler``, or a local one."""

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int = 2,
        processes: bool = True,
        step: Callable[[list[Record], Options], Result] = run_chunk,
    ) -> None:
        from distributed import Client, LocalCluster

        self.step = step
        self.no_workers_s = 120.0  # how long to wait on a cluster with no workers
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=None,
                silence_logs=logging.ERROR,  # its shutdown warnings are noise for a finished batch
            )
            self.client = Client(self.cluster)
        threads = sum(self.client.nthreads().values()) or workers

        self.limit = 2 * threads + 1

    def map(self, chunks: Iterable[list[Record]], options: Options) -> Iterator[Result]:
        def submit(chunk: list[Record]) -> Task:
            return Task(chunk, self._submit(chunk, options))

        for task in bounded(submit, chunks, self.limit):
            yield self._take(task, options)

    def _submit(self, records: list[Record], options: Options) -> Any:
        return self.client.submit(run_partition, records, options, self.step, pure=False)

    def _take(self, task: Task, options: Options) -> Result:
        from distributed import KilledWorker

        try:
            return self._decoded(self._wait(task.future))
        except KilledWorker:  # the partition killed every worker it was tried on: find the record
            return one_by_one(
                task.chunk, options, lambda rec: self._decoded(self._wait(self._submit([rec], options))), KilledWorker
            )

    def _wait(self, future: Any) -> Result:
        """The future's result; stops the batch instead of waiting forever on a cluster whose
        workers are all gone (after repeated crashes a local cluster may not replace them)."""
        alone_since = None
        while True:
            try:
                return future.result(timeout=5)
            except TimeoutError:
                if self.client.nthreads():
                    alone_since = None
                elif alone_since is None:
                    alone_since = time.monotonic()
                elif time.monotonic() - alone_since > self.no_workers_s:
                    raise PipelineError(
                        f"the Dask cluster has had no workers for {self.no_workers_s:.0f} s; "
                        "start workers (or drop --scheduler) and run the same command again"
                    ) from None

    @staticmethod
    def _decoded(result: Result) -> Result:
        result.tables = {
            name: t if not isinstance(t, bytes) else read_parquet_bytes(t) for name, t in result.tables.items()
        }
        return result

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
