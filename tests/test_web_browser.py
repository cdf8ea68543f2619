"""The article page and the explorer in Debian's Chromium, driven by Playwright (no browser download).

Screenshots go to $SAYSO_TEST_ARTIFACTS (or a pytest temporary folder) as test artefacts.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import httpx
import pytest

from sayso.web import ServeConfig, create_app
from web_helpers import SEED, ThreadServer, free_port, make_store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (apt-get install chromium)")

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("SAYSO_TEST_ARTIFACTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(analyzer, tmp_path_factory):
    store = make_store(tmp_path_factory.mktemp("store"))
    port = free_port()
    with ThreadServer(create_app(ServeConfig(port=port, db=store), analyzer=analyzer), port=port) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


class Watched:
    """A page with everything it does recorded: requests, dialogs, console errors, CSP violations."""

    def __init__(self, browser, server):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.add_init_script(WATCH)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.server = server

    def analyse_text(self, text: str) -> None:
        self.page.goto(self.server.url + "/")
        self.page.fill("#text", text)
        self.page.click("#analyse")
        self.page.wait_for_selector("body[data-rendered]", timeout=120_000)

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__csp")


@pytest.fixture
def watched(browser, server):
    w = Watched(browser, server)
    yield w
    w.context.close()


def test_seed_sentences_tinted_with_legend_counts(watched, server, artefacts):
    watched.analyse_text(SEED)
    page = watched.page
    statuses = page.evaluate("Object.fromEntries([...document.querySelectorAll('#article .sent')].map(e => [e.dataset.s, e.dataset.status]))")
    assert len(statuses) == 20
    report = httpx.post(server.url + "/api/analyze", json={"text": SEED}, timeout=120).json()
    assert statuses == {str(i): s["status"] for i, s in enumerate(report["sentences"])}
    legend = {li.get_attribute("data-status"): int(li.query_selector(".count").inner_text()) for li in page.query_selector_all("#legend li")}
    assert legend == report["profile"]["counts"]
    tinted = page.evaluate("[...document.querySelectorAll('#article .sent')].map(e => getComputedStyle(e).backgroundColor)")
    assert all(c not in ("rgba(0, 0, 0, 0)", "transparent") for c in tinted)
    assert "Alexei Chebanenko" in page.inner_text("#quoted")
    with page.expect_download() as download:
        page.click("#download")
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert saved["sentences"] == report["sentences"] and saved["text"] == SEED
    page.screenshot(path=str(artefacts / "seed.png"), full_page=True)
    assert not watched.errors and not watched.csp_violations()


def test_keyboard_reaches_the_first_source_and_escape_closes_its_card(watched, artefacts):
    watched.analyse_text(SEED)
    page = watched.page
    page.focus("#download")
    for _ in range(100):
        page.keyboard.press("Tab")
        if "source" in (page.evaluate("document.activeElement.dataset.kinds") or "").split():
            break
    else:
        raise AssertionError("Tab never reached a source")
    card = page.locator("#card")
    assert card.is_visible()
    text = card.inner_text()
    assert "Alexei Chebanenko" in text and "RIA Novosti" in text and "sculptor" in text
    page.screenshot(path=str(artefacts / "card.png"))
    page.keyboard.press("Escape")
    assert card.is_hidden()


def test_filters_dim_the_other_sentences(watched):
    watched.analyse_text(SEED)
    page = watched.page
    page.check("#f-hedged")
    kept = page.evaluate("[...document.querySelectorAll('#article .sent:not(.out)')].map(e => e.dataset.status)")
    assert kept and set(kept) == {"hedged"}


def test_upload_an_html_page(watched, tmp_path, artefacts):
    body = "".join(f"<p>{line}</p>" for line in SEED.splitlines() if line.strip())
    page_file = tmp_path / "memorial.html"
    page_file.write_text(f"<html><head><title>A memorial in Kursk</title></head><body><nav>Home | World</nav><article>{body}</article></body></html>")
    page = watched.page
    page.goto(watched.server.url + "/")
    page.set_input_files("#file", str(page_file))
    page.wait_for_selector("body[data-rendered]", timeout=120_000)
    assert page.inner_text("#title") == "A memorial in Kursk"
    assert "Alexei Chebanenko" in page.inner_text("#article") and "Home | World" not in page.inner_text("#article")
    page.screenshot(path=str(artefacts / "upload.png"), full_page=True)


HOSTILE = (
    "The mayor said on Monday that the bridge was safe. <script>alert('script')</script> "
    'Officials said <img src="http://198.51.100.7/pixel.png" onerror="alert(\'onerror\')"> the road would reopen. '
    '<a href="javascript:alert(\'link\')">Read more</a> about the plan, according to local media. '
    "</textarea><script>alert('textarea')</script> The council is expected to vote next week. "
    "A spokesman for \u202eytinummoc\u202c the city, \u2066Jane\u2069 Porter, said the cost had doubled."
)


def test_hostile_article_runs_nothing_and_sends_nothing(watched, server, artefacts):
    watched.analyse_text(HOSTILE)
    page = watched.page
    page.keyboard.press("Tab")
    for tok in page.query_selector_all("#article .tok.focus")[:10]:
        tok.focus()
        tok.click()
    page.wait_for_timeout(300)
    assert watched.dialogs == []
    assert watched.csp_violations() == []
    assert all(url.startswith(server.url + "/") for url in watched.requests), watched.requests
    assert page.evaluate("document.querySelectorAll('#article script, #article img, #article a, #article iframe').length") == 0
    text = page.inner_text("#article")
    assert "<script>alert('script')</script>" in text and "javascript:alert" in text
    assert "U+202E" in page.inner_text("#integrity"), "the bidi override is named, not applied"
    page.screenshot(path=str(artefacts / "hostile.png"), full_page=True)


def test_explorer_pages_load_from_a_batch_store(watched, server, artefacts):
    page = watched.page
    page.goto(server.url + "/explorer")
    page.wait_for_selector("#view svg rect")
    assert "North Post" in page.inner_text("#view") and "South Echo" in page.inner_text("#view")
    page.screenshot(path=str(artefacts / "explorer-outlets.png"), full_page=True)
    page.click("#views a[data-view=sources]")
    page.wait_for_selector("#view table >> text=Jane Porter")
    page.click("#view table >> text=Jane Porter")
    page.wait_for_selector("#view h2 >> text=Jane Porter")
    sync_api.expect(page.locator("#view tbody tr")).to_have_count(6)
    page.screenshot(path=str(artefacts / "explorer-source.png"), full_page=True)
    page.click("#views a[data-view=anonymous]")
    page.wait_for_selector("#view svg polyline")
    page.screenshot(path=str(artefacts / "explorer-anonymous.png"), full_page=True)
    page.click("#views a[data-view=articles]")
    sync_api.expect(page.locator("#view h2")).to_have_text("Articles")
    sync_api.expect(page.locator("#view tbody tr")).to_have_count(6)
    page.fill("#q-q", "river bridge")
    page.click("#view button[type=submit]")
    sync_api.expect(page.locator("#view tbody tr")).to_have_count(2)
    page.click("#view tbody tr >> nth=0 >> a")
    page.wait_for_selector("body[data-rendered]")
    assert "river bridge" in page.inner_text("#article") and page.locator("#article .sent").count() == 4
    page.screenshot(path=str(artefacts / "explorer-article.png"), full_page=True)
    assert not watched.errors and not watched.csp_violations()


def test_docs_render_offline(watched, server):
    page = watched.page
    page.goto(server.url + "/docs")
    sync_api.expect(page.get_by_text("/api/analyze", exact=True)).to_be_visible(timeout=20_000)
    assert all(url.startswith(server.url + "/") for url in watched.requests)
    assert not watched.csp_violations()


def test_ten_thousand_words_render_under_a_second(watched, artefacts):
    words = SEED.split()
    text = "\n".join([SEED] * (10_000 // len(words) + 1))
    watched.analyse_text(text)
    ms = int(watched.page.evaluate("document.body.dataset.renderMs"))
    (artefacts / "render-10k.json").write_text(json.dumps({"words": len(text.split()), "render_ms": ms}))
    assert len(text.split()) >= 10_000
    assert ms < 1000


def test_explorer_without_a_store_says_how_to_get_one(browser, analyzer):
    port = free_port()
    with ThreadServer(create_app(ServeConfig(port=port), analyzer=analyzer), port=port) as srv:
        w = Watched(browser, srv)
        try:
            w.page.goto(srv.url + "/explorer")
            sync_api.expect(w.page.locator("#status")).to_contain_text("--db")
        finally:
            w.context.close()


FRENCH = (
    "Le porte-parole du Kremlin, Dmitri Peskov, a affirmé mardi que Moscou n'avait pas été informé. "
    "« Nous sommes prêts », a-t-il ajouté lors d'une conférence de presse."
)
RUSSIAN = (
    "Министр обороны Андрей Белоусов заявил в интервью РИА Новости, что армия готова к переговорам. "
    "По словам источника в правительстве, решение было принято в прошлом году."
)


@pytest.mark.parametrize(("text", "language", "name"), [(FRENCH, "fr", "Dmitri Peskov"), (RUSSIAN, "ru", "Андрей Белоусов")])
def test_french_and_russian_articles_on_the_page(watched, server, artefacts, text, language, name):
    watched.analyse_text(text)
    page = watched.page
    report = httpx.post(server.url + "/api/analyze", json={"text": text}, timeout=120).json()
    assert report["meta"]["language"] == language
    statuses = page.evaluate("[...document.querySelectorAll('#article .sent')].map(e => e.dataset.status)")
    assert statuses == [s["status"] for s in report["sentences"]] and "attributed" in statuses
    assert name in page.inner_text("#quoted")
    page.screenshot(path=str(artefacts / f"article-{language}.png"), full_page=True)
    assert not watched.errors and not watched.csp_violations()


def test_the_explorer_lists_and_opens_french_and_russian_articles(browser, analyzer, tmp_path, artefacts):
    db = make_store(tmp_path, [
        {"id": "fr1", "text": FRENCH, "outlet": "Le Matin", "published": "2025-03-04"},
        {"id": "ru1", "text": RUSSIAN, "outlet": "Утро", "published": "2025-03-05"},
    ])
    port = free_port()
    with ThreadServer(create_app(ServeConfig(port=port, db=db), analyzer=analyzer), port=port) as srv:
        w = Watched(browser, srv)
        try:
            page = w.page
            page.goto(srv.url + "/explorer")
            page.click("#views a[data-view=articles]")
            sync_api.expect(page.locator("#view tbody tr")).to_have_count(2)
            page.click("#view tbody tr >> text=Утро >> xpath=ancestor::tr >> a")
            page.wait_for_selector("body[data-rendered]")
            assert "Андрей Белоусов" in page.inner_text("#article") and page.locator("#article .sent").count() == 2
            page.screenshot(path=str(artefacts / "explorer-ru.png"), full_page=True)
            assert not w.errors and not w.csp_violations()
        finally:
            w.context.close()
