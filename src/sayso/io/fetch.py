"""Fetches an article over http(s), refusing addresses that are not globally routable.

Each hop of a redirect chain resolves its host name once, checks every address, and connects to
the address it checked (a resolver that answers differently the second time — DNS rebinding —
gets no second chance); TLS still verifies the certificate for the name. The whole fetch, all
hops and every byte of headers and body, has one deadline.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from sayso.errors import InputError
from sayso.io import content_type, decode

DEADLINE_S = 30.0  # the whole fetch; `sayso analyze --deadline` changes it
READ_TIMEOUT_S = 15.0  # one network operation
MAX_REDIRECTS = 5
USER_AGENT = "sayso/0.1 (+news attribution analysis)"

# Not globally routable, yet `is_global` says they are (Python 3.11) or checks them only by prefix.
_EXTRA_BLOCKED = [
    ipaddress.ip_network(n)
    for n in ("100.64.0.0/10", "192.0.0.0/24", "fec0::/10", "64:ff9b:1::/48", "2001::/23", "2001:db8::/32")
]


def address_allowed(address: str) -> bool:
    """True only for a globally routable unicast address (and the IPv4 address inside an IPv6
    one — mapped, 6to4, NAT64, Teredo — must be one too)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and not address_allowed(str(inner)):
            return False
        if ip.ipv4_mapped is not None:
            return True  # the mapped address was the whole question
    if not ip.is_global or ip.is_multicast:
        return False
    return not any(ip in net for net in _EXTRA_BLOCKED if net.version == ip.version)


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def resolve(host: str, port: int) -> list[str]:
    """The addresses of ``host``, in the resolver's order (a function, so tests can replace it)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as err:
        raise InputError(f"cannot resolve host {host}: {err}", reason="unreachable") from err
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(url: str, allow_private: bool = False) -> str:
    """The one address to connect to for ``url``; refuses a non-http(s) URL and, unless
    ``allow_private``, a host with any address that is not globally routable."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"unsupported URL: {url} (only http and https)", reason="unsupported URL")
    addresses = resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    if not addresses:
        raise InputError(f"cannot resolve host {parts.hostname}: no address", reason="unreachable")
    if not allow_private:
        for addr in addresses:
            if not address_allowed(addr):
                raise InputError(
                    f"refused: {parts.hostname} resolves to the non-public address {addr} "
                    "(use --allow-private to permit)",
                    reason="refused address",
                )
    return addresses[0]


class _Clock:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self, timeout: float | None) -> float:
        """The timeout for the next network operation: never past the deadline."""
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout("deadline reached")
        return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write ends by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, clock: _Clock) -> None:
        self.stream, self.clock = stream, clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, self.clock.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, self.clock.left(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        tls = self.stream.start_tls(ssl_context, server_hostname, self.clock.left(timeout))
        return _DeadlineStream(tls, self.clock)

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


def open_tcp(address: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
    return httpcore.SyncBackend().connect_tcp(address, port, timeout=timeout)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects to the checked address whatever host name the request names."""

    def __init__(self, address: str, clock: _Clock) -> None:
        self.address, self.clock = address, clock

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(open_tcp(self.address, port, self.clock.left(timeout)), self.clock)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _client(address: str, clock: _Clock) -> httpx.Client:
    transport = httpx.HTTPTransport(retries=0)
    # httpx takes no network backend, so its pool is replaced by one that connects to `address`.
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001
        ssl_context=httpx.create_ssl_context(), network_backend=_PinnedBackend(address, clock)
    )
    return httpx.Client(
        transport=transport, timeout=READ_TIMEOUT_S, follow_redirects=False, headers={"User-Agent": USER_AGENT}
    )


def fetch(
    url: str, allow_private: bool = False, deadline_s: float | None = None, max_bytes: int | None = None
) -> tuple[bytes, str, str]:
    """(body, content type, final URL); raises InputError with one clear line on any failure."""
    clock = _Clock(DEADLINE_S if deadline_s is None else deadline_s)
    cap = decode.limit(max_bytes)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        address = check_url(current, allow_private)
        try:
            with _client(address, clock) as client, client.stream("GET", current) as resp:
                if resp.is_redirect:
                    location = resp.headers.get("location")
                    if not location:
                        raise InputError(f"redirect without a location from {current}", reason="fetch failed")
                    current = urljoin(current, location)
                    continue
                return _body(resp, current, clock, cap), resp.headers.get("content-type", ""), current
        except (httpx.HTTPError, httpcore.TimeoutException, httpcore.NetworkError, OSError) as err:
            if time.monotonic() >= clock.end:
                raise InputError(
                    f"fetch failed: {current}: no complete answer within {clock.seconds:g} s (--deadline)",
                    reason="fetch deadline",
                ) from err
            raise InputError(f"fetch failed: {current}: {type(err).__name__}: {err}", reason="fetch failed") from err
    raise InputError(f"fetch failed: more than {MAX_REDIRECTS} redirects from {url}", reason="fetch failed")


def _body(resp: httpx.Response, url: str, clock: _Clock, cap: int) -> bytes:
    if resp.status_code >= 400:
        raise InputError(f"fetch failed: {url} answered HTTP {resp.status_code}", reason="fetch failed")
    ctype = resp.headers.get("content-type", "")
    if not content_type.is_article(ctype):
        raise InputError(
            f"refused: {url} serves {content_type.media_type(ctype)}, not an article (HTML or plain text)",
            reason="not an article",
        )
    body = bytearray()
    for chunk in resp.iter_bytes():
        body.extend(chunk)
        if len(body) > cap:
            raise InputError(f"fetch refused: {url} is larger than {cap} bytes", reason="too large")
        clock.left(None)  # a body that trickles in still ends at the deadline
    return bytes(body)
