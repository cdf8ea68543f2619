"""What `sayso serve` was told: address, workers, limits, token; and which Host/Origin values it answers."""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

MAX_BODY = 10 * 1024 * 1024  # the same limit as a file given to `sayso analyze`
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def default_workers() -> int:
    # each worker holds its own pipeline (about 0.5 GB): one per two cores, at most four
    return max(1, min(4, (os.cpu_count() or 2) // 2))


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


@dataclass
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = field(default_factory=default_workers)
    queue: int = 16  # requests that may wait for a worker beyond those being analysed
    time_limit: float = 60.0  # seconds for one analysis, waiting included
    token: str | None = None
    insecure: bool = False
    db: Path | None = None
    allow_hosts: tuple[str, ...] = ()  # extra names the server is reached by (behind a proxy, a wildcard bind)
    allow_private: bool = False  # let `url` inputs reach non-public addresses
    tier: str = "auto"  # the analysis workers' tier: fast, accurate or auto (sayso.encoder.tier)

    def check(self) -> None:
        """Raises ValueError with one line when the settings are unsafe or impossible."""
        if self.workers < 1:
            raise ValueError("--workers must be at least 1")
        if self.queue < 0:
            raise ValueError("--queue must be 0 or more")
        if self.time_limit <= 0:
            raise ValueError("--time-limit must be positive")
        if self.tier not in ("fast", "accurate", "auto"):
            raise ValueError(f"tier must be fast, accurate or auto, not {self.tier!r}")
        if not is_loopback(self.host) and not self.token and not self.insecure:
            raise ValueError(
                f"binding to {self.host} exposes the server: give --token (or $SAYSO_TOKEN), or --insecure"
            )

    def host_names(self) -> set[str]:
        """Host names (lower case, IPv6 without brackets) a request may carry in its Host header."""
        names = {self.host.lower().strip("[]")} | {h.lower() for h in self.allow_hosts}
        if is_loopback(self.host) or is_wildcard(self.host):
            names.update(LOOPBACK_NAMES)
        if is_wildcard(self.host):
            names.update({socket.gethostname().lower(), socket.getfqdn().lower()})
        names.discard("")
        return names

    def host_allowed(self, header: str) -> bool:
        """True when a Host header names this server: one of its names and its port."""
        parts = urlsplit("//" + header)
        try:
            port = parts.port
        except ValueError:
            return False
        name = (parts.hostname or "").lower()
        return name in self.host_names() and (port or 80) == self.port

    def origin_allowed(self, origin: str) -> bool:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        return parts.hostname.lower() in self.host_names() and port == self.port
