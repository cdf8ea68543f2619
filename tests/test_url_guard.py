"""Issue 13 rows 1, 2, 3 and 18: the URL guard resolves once and connects to the address it
checked, refuses every address that is not globally routable, ends a fetch at its deadline, and
refuses JSON and binary content. All traffic stays on loopback (other addresses are only ever
"connected" through a replaced connector that records them)."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import pytest
from typer.testing import CliRunner

from sayso.cli import app
from sayso.errors import InputError
from sayso.io import fetch

ARTICLE = (
    b"<html><head><title>Local test</title></head><body><article>"
    b"<p>The harbour authority said on Friday that the old pier would be rebuilt by the end of next year.</p>"
    b"<p>A spokeswoman told reporters the work would cost about four million dollars.</p></article></body></html>"
)
PUBLIC = "93.184.216.34"


class _Handler(BaseHTTPRequestHandler):
    hits: list[tuple[str, str]] = []  # (path, Host header) of every request

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).hits.append((self.path, self.headers.get("Host", "")))
        if self.path.startswith("/slow"):
            return self._trickle(headers=self.path == "/slow-headers")
        types = {"/json": "application/json", "/png": "image/png", "/pdf": "application/pdf"}
        self.send_response(200)
        self.send_header("Content-Type", types.get(self.path, "text/html; charset=utf-8"))
        self.end_headers()
        self.wfile.write(b'{"text": "The mayor said so."}' if self.path == "/json" else ARTICLE)

    def _trickle(self, headers: bool) -> None:
        """One byte every 0.1 s for up to a minute: of the headers, or of the body."""
        raw = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " if headers else b""
        if not headers:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
        end = time.monotonic() + 60
        try:
            while time.monotonic() < end:
                self.wfile.write(raw[:1] or b"a")
                self.wfile.flush()
                raw = raw[1:]
                time.sleep(0.1)
        except OSError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


@pytest.mark.parametrize(
    "address",
    [
        "100.100.100.200",  # a cloud metadata address in 100.64.0.0/10 (shared address space)
        "100.64.0.1",
        "fec0::1",  # IPv6 site-local
        "2002:7f00:1::1",  # 6to4 around 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
        "::ffff:10.0.0.1",
        "ff0e::1",  # global-scope multicast
        "198.18.0.1",  # benchmarking
        "192.0.2.1",  # documentation
        "240.0.0.1",  # reserved
    ],
)
def test_every_address_that_is_not_globally_routable_is_refused(address):
    assert not fetch.address_allowed(address)


def _resolver(monkeypatch, answers: dict[str, list[str]]) -> list[str]:
    """Replaces the system resolver: each name answers the next address of its list (the last one
    again once the list is used up), as a rebinding DNS server would. Returns the names asked."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def fake(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        seq = answers[host]
        addr = seq.pop(0) if len(seq) > 1 else seq[0]
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (addr, int(port or 80)))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return asked


def test_dns_rebinding_cannot_reach_loopback(server, monkeypatch):
    """Row 1: the resolver answers a public address for the check and 127.0.0.1 after it. The
    fetch must connect to the public address it checked, never ask again and reach loopback."""
    _Handler.hits.clear()
    _resolver(monkeypatch, {"rebind.test": [PUBLIC, "127.0.0.1"]})
    connected: list[str] = []

    def no_network(address, port, timeout):
        connected.append(address)
        raise httpcore.ConnectError("the test has no network beyond loopback")

    monkeypatch.setattr(fetch, "open_tcp", no_network, raising=False)
    with pytest.raises(InputError, match="fetch failed"):
        fetch.fetch(f"http://rebind.test:{server}/article")
    assert _Handler.hits == []  # the loopback server was never reached
    assert connected == [PUBLIC]


def test_connection_goes_to_the_checked_address_with_the_name_kept(server, monkeypatch):
    _Handler.hits.clear()
    asked = _resolver(monkeypatch, {"pinned.test": ["127.0.0.1"]})
    body, ctype, final = fetch.fetch(f"http://pinned.test:{server}/article", allow_private=True)
    assert b"old pier" in body and "html" in ctype
    assert asked == ["pinned.test"]  # resolved once, by the guard
    assert _Handler.hits == [("/article", f"pinned.test:{server}")]  # the Host header keeps the name


def test_a_name_that_resolves_to_a_shared_address_is_refused(monkeypatch):
    _resolver(monkeypatch, {"metadata.test": ["100.100.100.200"]})
    with pytest.raises(InputError, match=r"refused: .*non-public address 100\.100\.100\.200"):
        fetch.fetch("http://metadata.test/latest/meta-data/")


@pytest.mark.parametrize("path", ["/slow-headers", "/slow-body"])
def test_a_trickling_server_is_cut_off_at_the_deadline(server, path):
    """Row 3: one byte every 0.1 s never trips a per-read timeout; the overall deadline ends it."""
    started = time.monotonic()
    result = CliRunner().invoke(
        app, ["analyze", f"http://127.0.0.1:{server}{path}", "--allow-private", "--deadline", "1.5"]
    )
    took = time.monotonic() - started
    assert result.exit_code == 2, result.output
    assert "within 1.5 s" in result.output and "--deadline" in result.output
    assert took < 8, took


def test_the_default_deadline_applies_without_the_flag(server, monkeypatch):
    monkeypatch.setattr(fetch, "DEADLINE_S", 1.0)
    started = time.monotonic()
    with pytest.raises(InputError, match="within 1 s"):
        fetch.fetch(f"http://127.0.0.1:{server}/slow-body", allow_private=True)
    assert time.monotonic() - started < 6


@pytest.mark.parametrize(("path", "kind"), [("/json", "application/json"), ("/png", "image/png"), ("/pdf", "application/pdf")])
def test_json_and_binary_content_is_refused(server, path, kind):
    """Row 18: a URL that serves JSON or a binary type is not an article, whatever its bytes say."""
    result = CliRunner().invoke(app, ["analyze", f"http://127.0.0.1:{server}{path}", "--allow-private"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"serves {kind}, not an article" in lines[0]
