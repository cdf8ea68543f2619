"""Reads attribution annotations in brat standoff (PolNeAR's layout: ``text/*.txt`` and
``attributions/*.ann``), coping with the flaws of published data and saying what it skipped."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

Fragments = list[tuple[int, int]]

# Only these labels are parts of an attribution; "Discuss" and "Discard" are annotators' notes to
# themselves and the "Attribution"/"Attribution-no-source" triggers repeat the cue.
PART_LABELS = {"Source": "source", "Cue": "cue", "Content": "content"}
_ID_LINE = re.compile(r"^[TERAMN#*]\d*\t")


@dataclass
class GoldAttribution:
    cue: Fragments
    source: Fragments = field(default_factory=list)
    content: Fragments = field(default_factory=list)


@dataclass
class GoldText:
    id: str  # the text file's stem
    text: str
    annotator_file: str
    attributions: list[GoldAttribution]


@dataclass
class ReadLog:
    """What the reader skipped or repaired, counted by reason."""

    counts: Counter[str] = field(default_factory=Counter)

    def note(self, reason: str, n: int = 1) -> None:
        self.counts[reason] += n


def _lines(raw: str, log: ReadLog) -> list[str]:
    """Annotation lines; a line that does not start with an id continues the one before (a ``T``
    line whose span text holds a line break is broken over two lines in some files)."""
    out: list[str] = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        if _ID_LINE.match(line) or not out:
            out.append(line)
        else:
            out[-1] += "\n" + line
            log.note("T line continued on the next line (joined)")
    return out


def _fragments(spec: str) -> Fragments:
    frags = []
    for part in spec.split(";"):
        s, e = part.split()
        frags.append((int(s), int(e)))
    return frags


def parse_ann(raw: str, log: ReadLog | None = None) -> list[GoldAttribution]:
    log = log if log is not None else ReadLog()
    spans: dict[str, tuple[str, Fragments]] = {}
    events: list[str] = []
    for line in _lines(raw, log):
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            label, _, offsets = cols[1].partition(" ")
            try:
                spans[cols[0]] = (label, _fragments(offsets))
            except ValueError:
                log.note("T line with unreadable offsets")
        elif line.startswith("E") and len(cols) >= 2:
            events.append(cols[1])
        elif line.startswith("#"):
            pass  # annotator notes
        else:
            log.note(f"line of kind {line[:1]!r} ignored")
    for label, _ in spans.values():
        if label in ("Discuss", "Discard"):
            log.note(f"{label} span ignored")
    atts: list[GoldAttribution] = []
    for ev in events:
        parts: dict[str, Fragments] = {"source": [], "cue": [], "content": []}
        trigger = ev.split()[0].split(":")[0] if ev.split() else ""
        for arg in ev.split()[1:]:
            role, _, tid = arg.partition(":")
            role = re.sub(r"\d+$", "", role)  # Content2, ... are more pieces of the content
            key = PART_LABELS.get(role)
            if key is None or tid not in spans:
                log.note("event argument ignored (unknown role or span)")
                continue
            parts[key] += spans[tid][1]
        if not parts["cue"]:
            log.note("attribution without a cue skipped")
            continue
        if trigger == "Attribution-no-source":
            log.note("attribution without a source (Attribution-no-source) kept")
        atts.append(GoldAttribution(cue=sorted(parts["cue"]), source=sorted(parts["source"]), content=sorted(parts["content"])))
    return atts


def read_dir(folder: Path, log: ReadLog | None = None, all_annotators: bool = False) -> list[GoldText]:
    """Every text of a brat folder with its annotations: for a text annotated several times, the
    first ``.ann`` in name order (or all of them with ``all_annotators``)."""
    log = log if log is not None else ReadLog()
    folder = Path(folder)
    text_dir, ann_dir = folder / "text", folder / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"{folder} has no text/ and attributions/ folders")
    anns: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem
        text_stem = stem.rsplit("_", 1)[0] if not (text_dir / f"{stem}.txt").exists() else stem
        anns.setdefault(text_stem, []).append(ann)
    out: list[GoldText] = []
    for txt in sorted(text_dir.glob("*.txt")):
        files = anns.get(txt.stem)
        if not files:
            log.note("text without annotations skipped")
            continue
        text = txt.read_text(encoding="utf-8")  # offsets are into the text as read
        if len(files) > 1 and not all_annotators:
            log.note("further annotators of a text ignored", len(files) - 1)
            files = files[:1]
        for ann in files:
            atts = parse_ann(ann.read_text(encoding="utf-8"), log)
            good = []
            for a in atts:
                if all(0 <= s <= e <= len(text) for s, e in a.cue + a.source + a.content):
                    good.append(a)
                else:
                    log.note("attribution with offsets outside the text skipped")
            out.append(GoldText(txt.stem, text, ann.name, good))
    orphans = set(anns) - {t.stem for t in text_dir.glob("*.txt")}
    if orphans:
        log.note("annotation without its text skipped", len(orphans))
    return out


def read_metadata(folder: Path) -> dict[str, dict[str, str]]:
    """``metadata.tsv`` rows by file name, from the folder or its parent; empty when there is none."""
    for path in (Path(folder) / "metadata.tsv", Path(folder).parent / "metadata.tsv"):
        if path.is_file():
            rows = path.read_text(encoding="utf-8").splitlines()
            if not rows:
                return {}
            head = rows[0].split("\t")
            table = {}
            for row in rows[1:]:
                cells = row.split("\t")
                rec = dict(zip(head, cells))
                if "filename" in rec:
                    table[rec["filename"]] = rec
            return table
    return {}
