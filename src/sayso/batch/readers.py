"""Readers: stream the records of a batch input (a folder, JSONL or WARC), one at a time.

A reader only reads: it yields raw ``Record``s (bytes or text, plus what the input says about
them). Decoding, HTML extraction and analysis happen in the workers, so the process that reads
stays light and memory stays flat however large the input is.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sayso.io.decode import MAX_BYTES

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
META_KEYS = ("title", "url", "outlet", "author", "published")


@dataclass
class Record:
    """One input record as read: ``content`` is bytes (a file) or str (a JSONL field)."""

    id: str
    content: bytes | str = b""
    is_html: bool | None = None  # None: decide from the content
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # set when the record could not even be read


def content_id(content: bytes | str) -> str:
    """The id of a record nothing else names: a hash of its content (as ``Article.record_id``)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()[:16]


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _plain_name(path: Path) -> str:
    name = path.name
    return name[:-3] if name.lower().endswith(".gz") else name


def kind(path: Path) -> str:
    """What reads ``path``: ``folder``, ``jsonl`` or ``warc``; raises ValueError otherwise."""
    if path.is_dir():
        return "folder"
    name = _plain_name(path).lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith((".warc", ".arc")):
        return "warc"
    raise ValueError(f"cannot read {path}: give a folder, a .jsonl(.gz) file or a .warc(.gz) file")


def read(path: Path) -> Iterator[Record]:
    return {"folder": read_folder, "jsonl": read_jsonl, "warc": read_warc}[kind(path)](path)


def count(path: Path) -> int | None:
    """How many records ``path`` holds, when that is cheap to know (for the progress bar)."""
    k = kind(path)
    if k == "folder":
        return sum(1 for _ in _folder_files(path))
    if k == "jsonl":
        with _open(path) as fh:
            return sum(1 for line in fh if line.strip())
    return None


# -- folder -----------------------------------------------------------------------------------


def _is_article_file(name: str) -> bool:
    plain = name.lower()[:-3] if name.lower().endswith(".gz") else name.lower()
    return plain.endswith(TEXT_SUFFIXES + HTML_SUFFIXES) and not name.startswith(".")


def _folder_files(root: Path) -> Iterator[Path]:
    """Article files under ``root``, recursively, in a stable (sorted) order."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if _is_article_file(name):
                yield Path(dirpath) / name


def file_id(root: Path, path: Path) -> str:
    """The file name without its extensions; files in sub-folders keep the folder path ("a/b")."""
    name = _plain_name(path)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    rel = path.parent.relative_to(root)
    return stem if str(rel) == "." else f"{rel.as_posix()}/{stem}"


def read_folder(root: Path) -> Iterator[Record]:
    for path in _folder_files(root):
        rid = file_id(root, path)
        # .html is HTML; a .txt file is looked at, as `sayso analyze` does (some hold a page)
        is_html = True if _plain_name(path).lower().endswith(HTML_SUFFIXES) else None
        try:
            size = path.stat().st_size
            if size > MAX_BYTES and not path.name.lower().endswith(".gz"):
                yield Record(rid, error=f"file too large: {size} bytes, the limit is {MAX_BYTES} bytes")
                continue
            with _open(path) as fh:
                data = fh.read(MAX_BYTES + 1)  # decode() refuses what is over the cap
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            yield Record(rid, error=f"unreadable file: {err}")
            continue
        yield Record(rid, data, is_html=is_html, meta={})


# -- JSONL ------------------------------------------------------------------------------------


def _date(value: Any) -> str | None:
    s = str(value)[:10] if value else ""
    return s if len(s) == 10 and s[4] == "-" and s[7] == "-" and s.replace("-", "").isdigit() else None


def record_from_json(obj: Any, line_no: int, raw: bytes) -> Record:
    if not isinstance(obj, dict):
        return Record(content_id(raw), error=f"line {line_no}: not a JSON object")
    text, page = obj.get("text"), obj.get("html")
    given = obj.get("id")
    meta = {k: obj.get(k) for k in META_KEYS if obj.get(k) is not None}
    if "published" in meta:
        meta["published"] = _date(meta["published"])
    content = text if isinstance(text, str) and text else page
    if not isinstance(content, str) or not content:
        rid = str(given) if given is not None else content_id(raw)
        return Record(rid, error=f'line {line_no}: no "text" or "html" string')
    rid = str(given) if given is not None and str(given) != "" else content_id(content)
    return Record(rid, content, is_html=content is page, meta=meta)


def read_jsonl(path: Path) -> Iterator[Record]:
    with _open(path) as fh:
        for line_no, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except ValueError as err:
                yield Record(content_id(raw.strip()), error=f"line {line_no}: invalid JSON ({err})")
                continue
            yield record_from_json(obj, line_no, raw.strip())


# -- WARC -------------------------------------------------------------------------------------


def read_warc(path: Path) -> Iterator[Record]:
    """The HTML and plain-text ``response`` records; their id is the WARC-Record-ID."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response":
                continue
            headers = rec.rec_headers
            url = headers.get_header("WARC-Target-URI")
            rid = (headers.get_header("WARC-Record-ID") or "").strip("<>") or None
            ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers else None) or ""
            status = rec.http_headers.get_statuscode() if rec.http_headers else "200"
            if ctype and not any(t in ctype.lower() for t in ("html", "text/plain")):
                continue
            stream: IO[bytes] = rec.content_stream()
            data = stream.read(MAX_BYTES + 1)
            if rid is None:
                rid = url or content_id(data)
            meta: dict[str, Any] = {"url": url}
            if status and not str(status).startswith("2"):
                yield Record(rid, error=f"HTTP status {status}", meta=meta)
                continue
            # WARC-Date is when the page was crawled, not published: the page's own date is used.
            yield Record(rid, data, is_html="html" in ctype.lower() if ctype else None, meta=meta)
