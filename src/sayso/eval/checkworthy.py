"""Check-worthiness evaluation on CheckThat!-style TSV files (``Sentence_id``, ``Text``, ``class_label``).

It scores the product: each text is analysed as an article by the same path as ``sayso batch``
and is predicted check-worthy when its report's ``claims`` hold it (a claim in any of its
sentences). The model's setting and threshold were chosen by cross-validation on train
(``training/checkworthy_train.py``, figures in ``models/checkworthy/model.json``): score dev once.

``read_tsv`` copes with the files as published: CRLF line ends, and a line in which two records
were glued together (the first record's label runs into the next id: ``…\\tNo29286\\tText\\tNo``).
Lines it cannot read are skipped and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sayso.eval.hedges import prf
from sayso.report_model import Report

LABELS = {"yes": True, "no": False}
_GLUED = re.compile(r"^(yes|no)(\d+)$", re.IGNORECASE)


@dataclass
class Records:
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    def add(self, rid: str, text: str, label: str) -> None:
        self.ids.append(rid.strip())
        self.texts.append(text.strip())
        self.labels.append(LABELS[label.strip().lower()])


def read_tsv(path: Path) -> Records:
    out = Records()
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()  # \r\n, \r and \n alike
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if n == 1 and fields[0].strip().lower() == "sentence_id":
            continue
        where = f"{path}:{n}"
        if len(fields) == 3 and fields[2].strip().lower() in LABELS and fields[1].strip():
            out.add(*fields)
            continue
        # Records glued together: id, text, label+id, text, label+id, ..., text, label
        if len(fields) >= 5 and len(fields) % 2 == 1:
            rid, parts, ok = fields[0], [], True
            for i in range(1, len(fields) - 1, 2):
                text, tail = fields[i], fields[i + 1].strip()
                m = _GLUED.match(tail)
                if m:
                    parts.append((rid, text, m.group(1)))
                    rid = m.group(2)
                elif i + 2 >= len(fields) and tail.lower() in LABELS:
                    parts.append((rid, text, tail))
                else:
                    ok = False
                    break
            if ok and parts:
                for part in parts:
                    out.add(*part)
                out.repaired.append(f"{where}: split {len(parts)} records glued on one line")
                continue
        out.skipped.append(f"{where}: {len(fields)} fields, not id/text/Yes|No")
    return out


def claimed(report: Report | None) -> bool:
    """Check-worthy as sayso reports it: the report holds a claim (a refused text holds none)."""
    return report is not None and bool(report.claims)


def evaluate(tsv: Path) -> dict[str, Any]:
    from sayso.analyzer import Article
    from sayso.eval import runtime

    data = read_tsv(tsv)
    run = runtime.analyze(Article(t, id=str(i)) for i, t in enumerate(data.texts))
    pred = [claimed(run.reports.get(str(i))) for i in range(len(data.texts))]
    return {
        "task": "check-worthy sentences (positive class: Yes)",
        "mode": "product path: a text is check-worthy when sayso's report holds a claim",
        "sentences": len(data.texts),
        "positive": sum(data.labels),
        "skipped": data.skipped,
        "repaired": data.repaired,
        "refused": [f"{data.ids[int(i)]}: {why}" for i, why in run.refused.items()],
        "speed": run.summary(),
        "speed_line": run.speed_line(),
        **prf(data.labels, pred),
    }
