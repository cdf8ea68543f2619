"""Fetches an article over http(s), refusing addresses inside the local network.

Every hop of a redirect chain is resolved and checked before it is requested.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import httpx

from sayso.errors import InputError
from sayso.io.decode import MAX_BYTES

TIMEOUT_S = 15.0
MAX_REDIRECTS = 5
USER_AGENT = "sayso/0.1 (+news attribution analysis)"


def address_allowed(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved and unspecified addresses."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


def check_url(url: str, allow_private: bool = False) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"unsupported URL: {url} (only http and https)")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError) as err:
        raise InputError(f"cannot resolve host {parts.hostname}: {err}") from err
    for info in infos:
        addr = str(info[4][0])
        if not address_allowed(addr):
            raise InputError(
                f"refused: {parts.hostname} resolves to the non-public address {addr} (use --allow-private to permit)"
            )


def fetch(url: str, allow_private: bool = False) -> tuple[bytes, str, str]:
    """(body, content type, final URL)."""
    current = url
    with httpx.Client(timeout=TIMEOUT_S, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(current, allow_private)
            try:
                with client.stream("GET", current) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise InputError(f"redirect without a location from {current}")
                        current = urljoin(current, location)
                        continue
                    if resp.status_code >= 400:
                        raise InputError(f"fetch failed: {current} answered HTTP {resp.status_code}")
                    body = bytearray()
                    for chunk in resp.iter_bytes():
                        body.extend(chunk)
                        if len(body) > MAX_BYTES:
                            raise InputError(f"fetch refused: {current} is larger than {MAX_BYTES} bytes")
                    return bytes(body), resp.headers.get("content-type", ""), current
            except httpx.HTTPError as err:
                raise InputError(f"fetch failed: {current}: {type(err).__name__}: {err}") from err
    raise InputError(f"fetch failed: more than {MAX_REDIRECTS} redirects from {url}")
