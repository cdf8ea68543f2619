"""Peak memory (RSS) of `sayso batch` on generated feeds: many small records, and one gigantic line.

    python bench/bench_memory.py --records 20000 --giant-mb 500

Each feed is written to a temporary folder, then `sayso batch FEED --out OUT.jsonl` runs in a
subprocess (``-p 1``: the analysis runs in the main process; ``-p 2``: in two workers) while the
RSS of the main process and of each worker is sampled every 0.1 s. Measured, not asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

TOWNS = ["Ashford", "Bexley", "Carlow", "Dunmore", "Elston", "Farley", "Gorton", "Hexham"]


def small_feed(path: Path, n: int) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(n):
            text = f"The council of {TOWNS[i % 8]} met on Tuesday, record {i}. Mayor Ann Lee said the budget was ready."
            fh.write(json.dumps({"id": f"r{i}", "text": text}) + "\n")
    return path


def giant_feed(path: Path, megabytes: int) -> Path:
    """A few normal records around one line of ``megabytes`` MB (compressed, it is small)."""
    chunk = b"word " * (1 << 18)  # 1.25 MiB
    with gzip.open(path, "wb", compresslevel=1) as fh:
        fh.write(json.dumps({"id": "before", "text": "The mayor said the bridge would reopen."}).encode() + b"\n")
        fh.write(b'{"id": "giant", "text": "')
        for _ in range(int(megabytes * (1 << 20) / len(chunk))):
            fh.write(chunk)
        fh.write(b'"}\n')
        fh.write(json.dumps({"id": "after", "text": "Officials said the plan was ready."}).encode() + b"\n")
    return path


def measure(feed: Path, out: Path, processes: int) -> dict:
    cmd = [sys.executable, "-m", "sayso.cli", "batch", str(feed), "--out", str(out), "--no-progress", "-p", str(processes)]
    cmd = [sys.executable, "-c", "from sayso.cli import main; main()", *cmd[3:]]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    main = psutil.Process(proc.pid)
    peak_main = peak_worker = 0
    while proc.poll() is None:
        try:
            peak_main = max(peak_main, main.memory_info().rss)
            for child in main.children(recursive=True):
                peak_worker = max(peak_worker, child.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    err = proc.stderr.read() if proc.stderr else ""
    return {
        "seconds": round(time.perf_counter() - t0, 1),
        "peak_rss_main_mib": round(peak_main / 2**20),
        "peak_rss_worker_mib": round(peak_worker / 2**20) if peak_worker else None,
        "exit": proc.returncode,
        "summary": err.strip().splitlines()[0] if err.strip() else "",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=100_000, help="Small records in the first feed.")
    ap.add_argument("--giant-mb", type=int, default=500, help="Size of the gigantic line, in MB.")
    ap.add_argument("-p", "--processes", type=int, default=1)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sayso-memory-"))
    small = small_feed(tmp / "small.jsonl.gz", args.records)
    giant = giant_feed(tmp / "giant.jsonl.gz", args.giant_mb)
    print(f"feeds: {args.records} small records ({small.stat().st_size} bytes gz), "
          f"one {args.giant_mb} MB line ({giant.stat().st_size} bytes gz); -p {args.processes}")  # fmt: skip
    for name, feed in (("small records", small), ("gigantic line", giant)):
        print(name, json.dumps(measure(feed, tmp / f"{feed.stem}.out.jsonl", args.processes)))


if __name__ == "__main__":
    main()
