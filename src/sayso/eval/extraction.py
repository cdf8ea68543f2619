"""`sayso eval extraction DIR`: article text from HTML, token F1 against the article-extraction
benchmark's ground truth (``ground-truth.json`` + ``html/*.html.gz``), beside trafilatura alone.

Scoring follows the benchmark: bag-of-words over whitespace tokens, precision and recall per page,
averaged over pages, F1 from the averages."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trafilatura

from sayso.errors import InputError
from sayso.io import decode, html
from sayso.prf import f1, ratio


def tokens(text: str) -> Counter[str]:
    return Counter(text.split())


def page_scores(pred: str, gold: str) -> tuple[float, float]:
    p, g = tokens(pred), tokens(gold)
    common = sum((p & g).values())
    return ratio(common, sum(p.values())), ratio(common, sum(g.values()))


def ours(page: str, url: str | None) -> str:
    try:
        return html.extract(page, url=url)[0]
    except InputError:
        return ""


def trafilatura_alone(page: str, url: str | None) -> str:
    return trafilatura.extract(page, url=url) or ""


def evaluate(directory: Path) -> dict[str, Any]:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    systems: dict[str, Callable[[str, str | None], str]] = {"sayso": ours, "trafilatura": trafilatura_alone}
    sums = {name: [0.0, 0.0] for name in systems}
    skipped: list[str] = []
    n = 0
    for key, item in sorted(truth.items()):
        path = directory / "html" / f"{key}.html.gz"
        if not path.exists():
            skipped.append(f"{key}: no html file")
            continue
        try:
            page = decode.decode(gzip.decompress(path.read_bytes()), path.name)
        except InputError as err:
            skipped.append(f"{key}: {err}")
            continue
        n += 1
        for name, extract in systems.items():
            p, r = page_scores(extract(page, item.get("url")), item.get("articleBody") or "")
            sums[name][0] += p
            sums[name][1] += r
    out: dict[str, Any] = {"pages": n, "skipped": skipped}
    for name, (p, r) in sums.items():
        precision, recall = ratio(p, n), ratio(r, n)
        out[name] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1(precision, recall), 4)}
    return out
