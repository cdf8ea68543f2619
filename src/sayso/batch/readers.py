"""Readers: stream the records of a batch input (a folder, JSONL or WARC), one at a time.

A reader only reads: it yields raw ``Record``s (bytes or text, plus what the input says about
them). Decoding, HTML extraction and analysis happen in the workers, so the process that reads
stays light and memory stays flat however large the input is: no record is held above
``max_bytes`` (a longer JSONL line is skipped in pieces and becomes an error record).

Whatever cannot be read — a corrupt .gz, a FIFO, a folder without permission, a broken JSON line,
an impossible date, a damaged WARC record — becomes a ``Record`` with ``error`` set, which the
batch writes as an error row, and reading goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sayso.dates import optional_date
from sayso.errors import InputError
from sayso.io import content_type, decode
from sayso.io.files import open_regular

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
META_KEYS = ("title", "url", "outlet", "author", "published")
# What a damaged compressed file raises while it is read.
READ_ERRORS = (OSError, EOFError, zlib.error, gzip.BadGzipFile)


@dataclass
class Record:
    """One input record as read: ``content`` is bytes (a file) or str (a JSONL field)."""

    id: str
    content: bytes | str = b""
    is_html: bool | None = None  # None: decide from the content
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # set when the record could not even be read
    reason: str | None = None  # the kind of that error (see `sayso.errors.reason_of`)


def failed(rid: str, message: str, reason: str | None = None, meta: dict[str, Any] | None = None) -> Record:
    return Record(rid, error=message, reason=reason, meta=meta or {})


def content_id(content: bytes | str) -> str:
    """The id of a record nothing else names: a hash of its content (as ``Article.record_id``)."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()[:16]


@contextmanager
def _open(path: Path) -> Iterator[IO[bytes]]:
    """A regular file, decompressed when it ends in .gz."""
    with open_regular(path) as fh:
        if path.name.lower().endswith(".gz"):
            with gzip.GzipFile(fileobj=fh, mode="rb") as gz:
                yield gz  # type: ignore[misc]
        else:
            yield fh


def _plain_name(path: Path) -> str:
    name = path.name
    return name[:-3] if name.lower().endswith(".gz") else name


def kind(path: Path) -> str:
    """What reads ``path``: ``folder``, ``jsonl`` or ``warc``; raises ValueError otherwise."""
    if path.is_dir():
        return "folder"
    name = _plain_name(path).lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        found = "jsonl"
    elif name.endswith((".warc", ".arc")):
        found = "warc"
    else:
        raise ValueError(f"cannot read {path}: give a folder, a .jsonl(.gz) file or a .warc(.gz) file")
    try:
        open_regular(path).close()
    except InputError as err:
        raise ValueError(str(err)) from err
    return found


def read(path: Path, max_bytes: int | None = None) -> Iterator[Record]:
    cap = decode.limit(max_bytes)
    return {"folder": read_folder, "jsonl": read_jsonl, "warc": read_warc}[kind(path)](path, cap)


def count(path: Path, max_bytes: int | None = None) -> int | None:
    """How many records ``path`` holds, when that is cheap to know (for the progress bar)."""
    k = kind(path)
    if k == "folder":
        return sum(1 for _ in _walk(path, path))
    if k == "jsonl":
        try:
            with _open(path) as fh:
                return sum(1 for _, line, _ in lines(fh, decode.limit(max_bytes)) if line is None or line.strip())
        except READ_ERRORS:
            return None
    return None


# -- folder -----------------------------------------------------------------------------------


def _is_article_file(name: str) -> bool:
    plain = name.lower()[:-3] if name.lower().endswith(".gz") else name.lower()
    return plain.endswith(TEXT_SUFFIXES + HTML_SUFFIXES) and not name.startswith(".")


def _walk(root: Path, folder: Path) -> Iterator[Path | Record]:
    """Article files under ``folder`` in a stable order (a folder's files, then its sub-folders,
    each sorted); a sub-folder that cannot be listed is an error record named ``its/path/``."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as err:
        rel = folder.relative_to(root).as_posix()
        yield failed(f"{rel}/", f"unreadable folder: {rel}/: {err.strerror or err}", "unreadable folder")
        return
    folders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            folders.append(Path(entry.path))
        elif _is_article_file(entry.name):
            yield Path(entry.path)  # FIFOs and devices too: reading them says what they are
    for sub in folders:
        yield from _walk(root, sub)


def file_id(root: Path, path: Path) -> str:
    """The file name without its extensions; files in sub-folders keep the folder path ("a/b")."""
    name = _plain_name(path)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    rel = path.parent.relative_to(root)
    return stem if str(rel) == "." else f"{rel.as_posix()}/{stem}"


def read_file(path: Path, rid: str, cap: int) -> Record:
    """One file of a folder as a record (an error record when it cannot be read)."""
    # .html is HTML; a .txt file is looked at, as `sayso analyze` does (some hold a page)
    is_html = True if _plain_name(path).lower().endswith(HTML_SUFFIXES) else None
    try:
        with open_regular(path, rid) as raw:
            size = os.fstat(raw.fileno()).st_size
            if path.name.lower().endswith(".gz"):
                with gzip.GzipFile(fileobj=raw, mode="rb") as fh:
                    data = fh.read(cap + 1)  # decode() refuses what is over the cap
            elif size > cap:
                return failed(rid, f"file too large: {size} bytes, the limit is {cap} bytes", "too large")
            else:
                data = raw.read(cap + 1)
    except InputError as err:
        return failed(rid, str(err), err.reason)
    except READ_ERRORS as err:
        return failed(rid, f"unreadable file: {type(err).__name__}: {err}", "unreadable file")
    return Record(rid, data, is_html=is_html, meta={})


def read_folder(root: Path, cap: int | None = None) -> Iterator[Record]:
    for item in _walk(root, root):
        if isinstance(item, Record):
            yield item
        else:
            yield read_file(item, file_id(root, item), decode.limit(cap))


# -- JSONL ------------------------------------------------------------------------------------

_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


_LEADING_ID = re.compile(rb'^\s*\{\s*"id"\s*:\s*("(?:[^"\\]|\\.){0,200}"|-?\d{1,30})\s*[,}]')


def lines(fh: IO[bytes], cap: int) -> Iterator[tuple[int, bytes | None, str]]:
    """(line number, the line, its id) for each line of ``fh``; the line is None when it is
    longer than ``cap`` bytes: such a line is read through in pieces, never held whole, and its id
    is the record's own when the line starts with it (``{"id": ...``), else a hash of the line."""
    line_no = 0
    while raw := fh.readline(cap + 1):
        line_no += 1
        if len(raw) <= cap or raw.endswith(b"\n"):
            yield line_no, raw, ""
            continue
        given = _leading_id(raw)
        digest = hashlib.sha256(raw)
        while not raw.endswith(b"\n"):
            raw = fh.readline(1 << 20)
            if not raw:
                break
            digest.update(raw.rstrip(b"\r\n"))
        yield line_no, None, given or digest.hexdigest()[:16]


def _leading_id(head: bytes) -> str | None:
    m = _LEADING_ID.match(head)
    if not m:
        return None
    try:
        value = json.loads(m.group(1))
        str(value).encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        return None
    return str(value) or None


def _unicode_error(obj: Any) -> str | None:
    """Why a parsed record is not valid Unicode (a lone surrogate escape such as "\\ud800")."""
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "invalid Unicode: the record holds a lone surrogate escape (such as \\ud800)"
    return None


def record_from_json(obj: Any, line_no: int, raw: bytes) -> Record:
    if not isinstance(obj, dict):
        return failed(content_id(raw), f"line {line_no}: not a JSON object", "not a JSON object")
    given = obj.get("id")
    given_id = str(given) if given is not None and str(given) != "" else None
    text, page = obj.get("text"), obj.get("html")
    content = text if isinstance(text, str) and text else page
    meta = {k: obj.get(k) for k in META_KEYS if obj.get(k) is not None}
    if not isinstance(content, str) or not content:
        return failed(given_id or content_id(raw), f'line {line_no}: no "text" or "html" string', "no text")
    rid = given_id or content_id(content)
    for key, value in meta.items():
        if not isinstance(value, str):
            return failed(rid, f'line {line_no}: "{key}" must be a string, not {type(value).__name__}', "bad field")
    try:
        meta["published"] = optional_date(meta.get("published"), '"published"')
    except InputError as err:
        return failed(rid, f"line {line_no}: {err}", err.reason)
    if meta["published"] is None:
        del meta["published"]
    return Record(rid, content, is_html=content is page, meta=meta)


def parse_line(line_no: int, raw: bytes) -> Record:
    """The record one JSONL line holds, or an error record saying why it holds none."""
    line = raw.strip()
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as err:
        return failed(content_id(line), f"line {line_no}: invalid JSON ({err})", "invalid JSON")
    if _SURROGATE.search(line) and (problem := _unicode_error(obj)):
        return failed(content_id(line), f"line {line_no}: {problem}", "invalid Unicode")
    return record_from_json(obj, line_no, line)


def read_jsonl(path: Path, cap: int | None = None) -> Iterator[Record]:
    limit = decode.limit(cap)
    line_no = 0
    try:
        with _open(path) as fh:
            for line_no, raw, digest in lines(fh, limit):
                if raw is None:
                    yield failed(digest, f"line {line_no}: record too large: over {limit} bytes", "too large")
                elif raw.strip():
                    yield parse_line(line_no, raw)
    except READ_ERRORS as err:
        yield failed(
            f"{path.name}@line-{line_no + 1}",
            f"unreadable input after line {line_no}: {type(err).__name__}: {err}; the rest of the file is lost",
            "damaged file",
        )


# -- WARC -------------------------------------------------------------------------------------


def read_warc(path: Path, cap: int | None = None) -> Iterator[Record]:
    """The HTML and plain-text ``response`` records; their id is the WARC-Record-ID. A truncated
    record, and a damaged stretch that stops the reading, become error records."""
    from warcio.archiveiterator import ArchiveIterator

    limit = decode.limit(cap)
    size = path.stat().st_size
    with open_regular(path) as fh:
        archive = ArchiveIterator(fh)
        try:
            for rec in archive:
                if rec.rec_type == "response":
                    got = _warc_response(rec, limit)
                    if got is not None:
                        yield got
        except Exception as err:  # noqa: BLE001  (warcio raises many kinds on a damaged file)
            yield failed(
                f"{path.name}@{archive.offset}",
                f"damaged WARC at byte {archive.offset}: {type(err).__name__}: {err}; the rest of the file is lost",
                "damaged WARC",
            )
            return
        if archive.offset < size:  # a compressed record cut short ends the iteration quietly
            yield failed(
                f"{path.name}@{archive.offset}",
                f"damaged WARC at byte {archive.offset}: the last {size - archive.offset} bytes are not a whole record",
                "damaged WARC",
            )


def _warc_response(rec: Any, limit: int) -> Record | None:
    headers = rec.rec_headers
    url = headers.get_header("WARC-Target-URI")
    rid = (headers.get_header("WARC-Record-ID") or "").strip("<>") or url
    meta: dict[str, Any] = {"url": url}
    try:
        data = rec.content_stream().read(limit + 1)  # read whatever its type, to know it is whole
    except Exception as err:  # noqa: BLE001  (a broken content or transfer encoding)
        return failed(rid or "?", f"unreadable WARC record: {type(err).__name__}: {err}", "unreadable WARC record")
    rid = rid or content_id(data)
    if len(data) <= limit and getattr(rec.raw_stream, "limit", 0) > 0:
        missing = rec.raw_stream.limit
        return failed(rid, f"truncated WARC record: {missing} bytes of it are missing", "truncated WARC record", meta)
    ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers else None) or ""
    if not content_type.is_article(ctype):
        return None
    status = rec.http_headers.get_statuscode() if rec.http_headers else "200"
    if status and not str(status).startswith("2"):
        return failed(rid, f"HTTP status {status}", "HTTP status", meta)
    # WARC-Date is when the page was crawled, not published: the page's own date is used.
    return Record(rid, data, is_html=content_type.is_html(ctype), meta=meta)
