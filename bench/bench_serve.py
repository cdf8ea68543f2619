"""Load on `sayso serve` over loopback: N users posting articles for T seconds (bounded), then the figures.

    python bench/bench_serve.py ARTICLE.txt [--users 8] [--seconds 60] [--workers 2]

Starts `sayso serve` on a free loopback port, waits for its workers, runs the users (each posts the
article to /api/analyze, waits for the answer, posts again), and prints p50/p95 latency,
throughput, errors by status, and the server's RSS (server plus workers) before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

MAX_REQUESTS = 100_000  # a bound on top of the time limit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


async def user(client: httpx.AsyncClient, url: str, body: dict, until: float, out: list[tuple[float, int]]) -> None:
    while time.monotonic() < until and len(out) < MAX_REQUESTS:
        t0 = time.perf_counter()
        try:
            status = (await client.post(url, json=body)).status_code
        except httpx.HTTPError:
            status = 0
        out.append((time.perf_counter() - t0, status))
        if status == 503:
            await asyncio.sleep(0.5)


async def load(base: str, body: dict, users: int, seconds: float) -> tuple[list[tuple[float, int]], float]:
    out: list[tuple[float, int]] = []
    start = time.monotonic()
    async with httpx.AsyncClient(timeout=120) as client:
        await asyncio.gather(*(user(client, base + "/api/analyze", body, start + seconds, out) for _ in range(users)))
    return out, time.monotonic() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("article", type=Path)
    ap.add_argument("--users", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--queue", type=int, default=16)
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "sayso.cli", "serve", "--port", str(port), "--workers", str(args.workers), "--queue", str(args.queue)]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 180
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("sayso serve did not start")
            try:
                h = httpx.get(base + "/health", timeout=2).json()
                if h["ready"] == h["workers"]:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        body = {"text": args.article.read_text(encoding="utf-8")}
        assert httpx.post(base + "/api/analyze", json=body, timeout=120).status_code == 200
        before = rss_mb(server.pid)
        results, elapsed = asyncio.run(load(base, body, args.users, args.seconds))
        after = rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    ok = sorted(t for t, s in results if s == 200)
    errors: dict[str, int] = {}
    for _, s in results:
        if s != 200:
            errors[str(s)] = errors.get(str(s), 0) + 1
    q = statistics.quantiles(ok, n=100) if len(ok) > 1 else [float("nan")] * 99
    figures = {
        "users": args.users,
        "seconds": round(elapsed, 1),
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "words": len(body["text"].split()),
        "requests": len(results),
        "ok": len(ok),
        "errors": errors,
        "throughput_rps": round(len(ok) / elapsed, 2),
        "p50_s": round(q[49], 3),
        "p95_s": round(q[94], 3),
        "rss_mb_before": round(before),
        "rss_mb_after": round(after),
    }
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
