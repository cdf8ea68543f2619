"""`sayso eval extraction` scores token overlap against ground truth, ours beside trafilatura alone."""

from __future__ import annotations

import gzip
import json

from sayso.eval import extraction


def test_page_scores():
    assert extraction.page_scores("a b c", "a b c") == (1.0, 1.0)
    p, r = extraction.page_scores("a b x y", "a b")
    assert (p, r) == (0.5, 1.0)
    assert extraction.page_scores("", "a") == (0.0, 0.0)


def test_evaluate_tiny_benchmark(tmp_path):
    body = (
        "The river authority said on Tuesday that the flood barrier had held through the storm. "
        "Engineers will inspect the gates next week, a spokesman told reporters at the site."
    )
    page = (
        "<html><head><title>Barrier held</title></head><body><nav>Home News Sport Weather</nav>"
        f"<article><h1>Barrier held</h1><p>{body}</p></article><footer>Contact us</footer></body></html>"
    )
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(page.encode()))
    (tmp_path / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": body}, "p2": {"articleBody": "x"}}))
    result = extraction.evaluate(tmp_path)
    assert result["pages"] == 1
    assert result["skipped"] == ["p2: no html file"]
    assert result["sayso"]["recall"] == 1.0
    assert result["sayso"]["f1"] > 0.9
