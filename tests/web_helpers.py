"""Helpers for the web tests: a store made by `sayso batch`, a live server on loopback (thread or process)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from typer.testing import CliRunner

from sayso import cli

SRC = Path(__file__).resolve().parents[1] / "src"
SEED = (Path(__file__).parent / "fixtures" / "seed_article.txt").read_text(encoding="utf-8")

OUTLETS = ["North Post", "South Echo"]
STORY = (
    "The council of {town} met on Tuesday to discuss {topic}. "
    "Mayor Jane Porter said the plan would be decided by the end of the month. "
    "Officials, who spoke on condition of anonymity, said the cost had doubled. "
    "The figures are expected to be published next week."
)
TOWNS = ["Ashford", "Bexley", "Carlow", "Dunmore", "Elston", "Farley"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_store(folder: Path, records: list[dict] | None = None) -> Path:
    """A store written by `sayso batch --db` over ``records`` (JSONL records); by default a few short
    articles from two outlets and three months."""
    if records is None:
        records = [
            {
                "id": f"art{i}",
                "text": STORY.format(town=town, topic=["the budget", "bus fares", "the river bridge"][i % 3]),
                "outlet": OUTLETS[i % 2],
                "published": f"2024-0{1 + i % 3}-1{i}",
                "title": f"{town} council and the plan",
            }
            for i, town in enumerate(TOWNS)
        ]
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    db = folder / "corpus.duckdb"
    result = CliRunner().invoke(cli.app, ["batch", str(feed), "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    return db


class ThreadServer:
    """A uvicorn server for an app object, in a thread of the test process."""

    def __init__(self, app, port: int | None = None) -> None:
        self.port = port or free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class ServeProcess:
    """`sayso serve` as a child process (real worker pool); its output is kept for the log checks."""

    def __init__(self, *args: str, log: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.log = log
        # the fast tier, as the other unit tests (the pool's timings assume it); args may say --accurate
        self.args = [sys.executable, "-m", "sayso.cli", "serve", "--port", str(self.port), "--fast", *args]
        self.env = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServeProcess:
        self.out = open(self.log, "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(self.args, stdout=self.out, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + 120
        while True:
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "workers did not become ready"
            try:
                health = httpx.get(self.url + "/health", timeout=2).json()
                if health["ready"] == health["workers"]:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()
        return self.proc.returncode

    def __exit__(self, *exc) -> None:
        self.stop()
