"""Bytes to text: UTF-8 first, then a detected encoding; binary and oversize input refused."""

from __future__ import annotations

from charset_normalizer import from_bytes

from sayso.errors import InputError

MAX_BYTES = 10 * 1024 * 1024  # a news article is far below this; a feed goes through `batch`


def limit(max_bytes: int | None) -> int:
    """The size limit in force: the one given, else MAX_BYTES (read at call time, so tests can lower it)."""
    return MAX_BYTES if max_bytes is None else max_bytes


def check_size(n: int, what: str = "input", max_bytes: int | None = None) -> None:
    cap = limit(max_bytes)
    if n > cap:
        raise InputError(f"{what} too large: {n} bytes, the limit is {cap} bytes", reason="too large")


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def decode(data: bytes, what: str = "input", max_bytes: int | None = None) -> str:
    check_size(len(data), what, max_bytes)
    if not data.strip():
        raise InputError(f"empty {what}: there is no text to analyse", reason="empty input")
    if data.startswith(b"\x1f\x8b"):
        raise InputError(f"binary {what}: gzip data (use `sayso batch` for .gz files)", reason="binary input")
    if looks_binary(data):
        raise InputError(f"binary {what}: this is not a text or HTML file", reason="binary input")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(f"undecodable {what}: not UTF-8 and no text encoding could be detected", reason="undecodable")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise InputError(f"undecodable {what}: {err}", reason="undecodable") from err
