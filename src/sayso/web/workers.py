"""Analysis off the event loop: a bounded pool of worker processes, each loading the pipeline once.

Admission is counted here: at most ``size`` analyses run and ``queue`` more wait; past that a
request is refused at once (503). A request past its time limit gets 504 and, when its analysis
was running, the worker is killed and replaced. Workers are started with ``spawn`` (never a fork
of the server's threads) and exit when the server's end of their pipe closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from sayso.web.jobs import Job, run

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from sayso.analyzer import Analyzer

log = logging.getLogger("sayso.web")
WARM_UP = "The mayor said on Monday that the bridge, which officials believe is unsafe, will likely close in 2025."


class Busy(Exception):
    """Every worker busy and the queue full."""


class TimedOut(Exception):
    """The analysis did not finish within the time limit."""


class WorkerDied(Exception):
    """The worker process ended in the middle of an analysis."""


def _worker_main(conn: Connection, allow_private: bool, tier: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from sayso import pipeline
    from sayso.analyzer import Analyzer, Article

    analyzer = Analyzer(pipeline.shared(tier=tier))
    analyzer.analyze(Article(WARM_UP, id="warm-up"))  # loads what the first request would otherwise wait for
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the server is gone
        if job is None:
            return
        try:
            conn.send(run(analyzer, job, allow_private))
        except (BrokenPipeError, OSError):
            return


class _Worker:
    def __init__(self, ctx: Any, allow_private: bool, tier: str) -> None:
        self.conn, child = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(target=_worker_main, args=(child, allow_private, tier), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


async def _recv(conn: Connection) -> Any:
    """The next message on ``conn`` without blocking the event loop."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[Any] = loop.create_future()
    fd = conn.fileno()

    def readable() -> None:
        if done.done():
            return
        try:
            done.set_result(conn.recv())
        except (EOFError, OSError):
            done.set_exception(WorkerDied("the analysis worker stopped"))

    loop.add_reader(fd, readable)
    try:
        return await done
    finally:
        loop.remove_reader(fd)


class WorkerPool:
    def __init__(self, size: int, queue: int, time_limit: float, allow_private: bool = False, tier: str = "auto") -> None:
        self.size, self.queue, self.time_limit = size, queue, time_limit
        self.allow_private, self.tier = allow_private, tier
        self._ctx = mp.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending = 0
        self.replaced = 0
        self.closed = False

    async def start(self) -> None:
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        worker = _Worker(self._ctx, self.allow_private, self.tier)
        self._workers.add(worker)
        task = asyncio.get_running_loop().create_task(self._await_ready(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _await_ready(self, worker: _Worker) -> None:
        try:
            await _recv(worker.conn)
        except WorkerDied:
            log.error("an analysis worker failed to load the pipeline")
            self._workers.discard(worker)
            return
        if self.closed:
            worker.kill()
        else:
            self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        worker.kill()
        self.replaced += 1
        if not self.closed:
            self._spawn()

    def status(self) -> dict[str, int]:
        return {
            "workers": self.size,
            "ready": self._idle.qsize(),
            "in_flight": self._pending,
            "queue": self.queue,
            "replaced": self.replaced,
        }

    def retry_after(self) -> int:
        return max(1, min(60, int(self.time_limit / 4)))

    async def submit(self, job: Job) -> tuple[str, Any]:
        if self._pending >= self.size + self.queue:
            raise Busy()
        self._pending += 1
        deadline = time.monotonic() + self.time_limit
        try:
            try:
                worker = await asyncio.wait_for(self._idle.get(), self.time_limit)
            except TimeoutError as err:
                raise TimedOut() from err
            try:
                try:
                    worker.conn.send(job)
                except OSError as err:  # it died while idle
                    raise WorkerDied("the analysis worker stopped") from err
                result = await asyncio.wait_for(_recv(worker.conn), max(0.0, deadline - time.monotonic()))
            except TimeoutError as err:
                self._replace(worker)  # the analysis may run on for minutes: stop it
                raise TimedOut() from err
            except BaseException:  # died, or the request was cancelled mid-analysis
                self._replace(worker)
                raise
            self._idle.put_nowait(worker)
            return result  # type: ignore[no-any-return]
        finally:
            self._pending -= 1

    async def close(self) -> None:
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._workers):
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        for worker in list(self._workers):
            await asyncio.to_thread(worker.process.join, 2)
            worker.kill()
        self._workers.clear()


class InlineRunner:
    """The pool's interface over one in-process analyzer, run in a thread (tests; never the event loop)."""

    def __init__(self, analyzer: Analyzer, queue: int = 16, time_limit: float = 60.0, allow_private: bool = False) -> None:
        self.analyzer, self.size, self.queue, self.time_limit = analyzer, 1, queue, time_limit
        self.allow_private = allow_private
        self._lock = asyncio.Lock()
        self._thread_lock = threading.Lock()  # held by the analysis itself, which runs on after a 504
        self._pending = 0

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def status(self) -> dict[str, int]:
        return {"workers": 1, "ready": 0 if self._lock.locked() else 1, "in_flight": self._pending, "queue": self.queue, "replaced": 0}

    def retry_after(self) -> int:
        return 1

    def _run(self, job: Job) -> tuple[str, Any]:
        with self._thread_lock:
            return run(self.analyzer, job, self.allow_private)

    async def submit(self, job: Job) -> tuple[str, Any]:
        if self._pending >= 1 + self.queue:
            raise Busy()
        self._pending += 1
        try:
            async with self._lock:
                return await asyncio.wait_for(asyncio.to_thread(self._run, job), self.time_limit)
        except TimeoutError as err:
            raise TimedOut() from err
        finally:
            self._pending -= 1
