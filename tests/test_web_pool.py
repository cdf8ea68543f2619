"""`sayso serve` as a process: the worker pool (503, 504 and a replaced worker), 413 at once, quiet logs, clean SIGTERM."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import psutil
import pytest

from web_helpers import SEED, ServeProcess

MARKER = "Quillfeather"  # a word that must never reach the log
LONG = (SEED + "\n") * 40  # about 23,000 words: several seconds of analysis on any of these machines, far past the 1.5 s limit


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with ServeProcess("--workers", "1", "--queue", "0", "--time-limit", "1.5", log=log) as srv:
        yield srv


def wait_health(server, key, value, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = httpx.get(server.url + "/health").json()
        if health[key] == value:
            return health
        time.sleep(0.1)
    raise AssertionError(f"/health never had {key}={value}: {health}")


def test_busy_pool_is_503_then_504_replaces_the_worker(server):
    first_pid = worker_pids(server)
    result = {}
    slow = threading.Thread(target=lambda: result.setdefault("r", httpx.post(server.url + "/api/analyze", json={"text": LONG}, timeout=60)))
    slow.start()
    wait_health(server, "in_flight", 1)
    busy = httpx.post(server.url + "/api/analyze", json={"text": SEED})
    assert busy.status_code == 503 and int(busy.headers["retry-after"]) >= 1
    assert "\n" not in busy.json()["detail"]
    slow.join()
    assert result["r"].status_code == 504, result["r"].text
    health = wait_health(server, "ready", 1)
    assert health["replaced"] == 1
    assert worker_pids(server) != first_pid, "the worker that ran over was killed and replaced"
    ok = httpx.post(server.url + "/api/analyze", json={"text": f"{MARKER} said on Monday that the dam was safe.", "id": "m"}, timeout=60)
    assert ok.status_code == 200 and ok.json()["id"] == "m"


def worker_pids(server) -> set[int]:
    return {p.pid for p in psutil.Process(server.proc.pid).children(recursive=True) if "resource_tracker" not in " ".join(p.cmdline())}


def test_a_killed_worker_is_503_then_replaced(server):
    for pid in worker_pids(server):
        psutil.Process(pid).kill()
    time.sleep(0.5)
    resp = httpx.post(server.url + "/api/analyze", json={"text": SEED}, timeout=60)
    assert resp.status_code == 503 and resp.headers["retry-after"]
    wait_health(server, "ready", 1)
    assert httpx.post(server.url + "/api/analyze", json={"text": SEED}, timeout=60).status_code == 200


def test_oversized_body_is_refused_before_it_is_sent(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(
            b"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
            b"Content-Length: 300000000\r\n\r\n" % server.port
        )
        reply = s.recv(4096)  # answered without a byte of the body
    assert reply.startswith(b"HTTP/1.1 413")


def test_every_worker_ends_with_sigterm_and_the_log_has_no_article_text(tmp_path):
    log = tmp_path / "serve.log"
    srv = ServeProcess("--workers", "2", log=log)
    with srv:
        resp = httpx.post(srv.url + "/api/analyze", json={"text": f"{MARKER} said on Monday that the dam was safe."}, timeout=60)
        assert resp.status_code == 200
        httpx.post(srv.url + "/api/analyze", json={"text": MARKER, "published": "9999-99-99"})
        children = psutil.Process(srv.proc.pid).children(recursive=True)
        assert len(children) >= 2
        assert srv.stop() in (0, -15)  # uvicorn shuts down, then re-raises SIGTERM
    deadline = time.monotonic() + 10
    while any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children):
        assert time.monotonic() < deadline, "a worker outlived the server"
        time.sleep(0.1)
    text = log.read_text()
    assert "Application shutdown complete" in text, "a graceful shutdown, which stops the pool"
    assert "POST /api/analyze" in text and MARKER not in text
