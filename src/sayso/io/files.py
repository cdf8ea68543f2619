"""Opening an input file safely: only a regular file, never blocking on a FIFO or a device."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from sayso.errors import InputError


def open_regular(path: os.PathLike[str] | str, name: str | None = None) -> BinaryIO:
    """``path`` opened for reading; raises InputError (one line, naming it) when it is missing,
    unreadable, or not a regular file. It is opened non-blocking and checked before anything is
    read, so a FIFO named ``x.txt`` is refused instead of waiting forever for a writer."""
    shown = name or os.fspath(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(f"no such file: {shown}", reason="no such file") from None
    except OSError as err:
        raise InputError(f"unreadable file: {shown}: {err.strerror or err}", reason="unreadable file") from err
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputError(f"not a regular file: {shown} is {file_kind(mode)}; skipped", reason="not a regular file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a plain file"
