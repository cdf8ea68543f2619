"""The URL guard: non-public addresses are refused unless --allow-private. Traffic goes to loopback only."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

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


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "224.0.0.1", "::1", "fe80::1", "0.0.0.0", "::ffff:127.0.0.1"],
)
def test_non_public_addresses_refused(address):
    assert not fetch.address_allowed(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses_allowed(address):
    assert fetch.address_allowed(address)


def test_non_http_scheme_refused():
    with pytest.raises(InputError, match="only http"):
        fetch.check_url("file:///etc/passwd")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path == "/missing":
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(ARTICLE)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_loopback_url_refused_without_flag(server):
    result = CliRunner().invoke(app, ["analyze", f"{server}/article"])
    assert result.exit_code == 2
    assert "refused" in result.output and "--allow-private" in result.output
    assert "Traceback" not in result.output


def test_loopback_url_fetched_with_flag_following_redirect(server):
    result = CliRunner().invoke(app, ["analyze", f"{server}/redirect", "--allow-private", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "old pier would be rebuilt" in result.output


def test_redirect_to_private_is_checked_again(server, monkeypatch):
    seen = []
    real = fetch.check_url

    def spy(url, allow_private=False):
        seen.append(url)
        return real(url, allow_private)

    monkeypatch.setattr(fetch, "check_url", spy)
    fetch.fetch(f"{server}/redirect", allow_private=True)
    assert [u.rsplit("/", 1)[1] for u in seen] == ["redirect", "article"]


def test_http_error_is_one_line(server):
    result = CliRunner().invoke(app, ["analyze", f"{server}/missing", "--allow-private"])
    assert result.exit_code == 2
    assert "404" in result.output


def test_unreachable_url_is_one_line():
    # port 9 on loopback: nothing listens, the connection is refused at once
    result = CliRunner().invoke(app, ["analyze", "http://127.0.0.1:9/x", "--allow-private"])
    assert result.exit_code == 2
    assert "fetch failed" in result.output
