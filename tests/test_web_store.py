"""`sayso serve --db`: the explorer's API over a store that `sayso batch` made, read-only."""

from __future__ import annotations

import duckdb
import pytest
from fastapi.testclient import TestClient

from sayso import schema
from sayso.web import ServeConfig, create_app
from web_helpers import make_store

BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def client(analyzer, store):
    with TestClient(create_app(ServeConfig(db=store), analyzer=analyzer), base_url=BASE) as c:
        yield c


def test_articles_paged_and_filtered(client):
    page = client.get("/api/articles", params={"per_page": 4}).json()
    assert page["total"] == 6 and len(page["items"]) == 4 and page["page"] == 1
    assert len(client.get("/api/articles", params={"per_page": 4, "page": 2}).json()["items"]) == 2
    north = client.get("/api/articles", params={"outlet": "North Post"}).json()
    assert north["total"] == 3 and {a["outlet"] for a in north["items"]} == {"North Post"}
    assert client.get("/api/articles", params={"q": "river bridge"}).json()["total"] == 2
    assert client.get("/api/articles", params={"since": "2024-02-01", "until": "2024-02-28"}).json()["total"] == 2
    assert client.get("/api/articles", params={"since": "2024-13-01"}).status_code == 422
    assert client.get("/api/articles", params={"page": 0}).status_code == 422


def test_article_is_a_valid_report(client):
    report = client.get("/api/articles/art0").json()
    schema.validate(report)
    assert report["id"] == "art0" and report["meta"]["outlet"] == "North Post" and report["meta"]["published"] == "2024-01-10"
    assert report["attributions"] and len(report["sentences"]) == 4
    resp = client.get("/api/articles/nope")
    assert resp.status_code == 404 and resp.json()["detail"] == "no such article"


def test_sources_and_a_source_page(client):
    sources = client.get("/api/sources").json()["items"]
    porter = next(s for s in sources if s["name"] == "Jane Porter")
    assert porter["attributions"] == 6 and porter["articles"] == 6 and porter["type"] == "PERSON"
    assert "Mayor" in porter["roles"]
    page = client.get("/api/sources/Jane Porter").json()
    assert page["total"] == 6 and {i["article_id"] for i in page["items"]} == {f"art{i}" for i in range(6)}
    assert client.get("/api/sources/Nobody Atall").status_code == 404


def test_outlets_and_anonymous_by_month(client):
    outlets = {o["outlet"]: o for o in client.get("/api/outlets").json()}
    assert set(outlets) == {"North Post", "South Echo"}
    for o in outlets.values():
        assert o["articles"] == 3 and 0 < o["named_share"] <= 1 and o["anonymous_share"] is not None
    months = client.get("/api/anonymous").json()
    assert [m["month"] for m in months] == ["2024-01", "2024-02", "2024-03"]


def test_search_sentences_and_what_sources_said(client):
    hits = client.get("/api/search", params={"q": "decided by the end"}).json()
    assert hits["total"] == 6 and all("decided by the end" in h["text"] for h in hits["items"])
    assert all(h["sources"] == "Jane Porter" for h in hits["items"])
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/corpus").json() == {"views": ["outlets", "sources", "articles", "search", "anonymous"], "articles": 6}


def test_store_is_opened_read_only(client, store):
    with client.app.state.store._connect() as con:
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM articles")
        with pytest.raises(duckdb.Error):
            con.execute("SELECT * FROM read_csv('/etc/hostname')")


def test_stories_and_drift_are_404_until_built(client):
    assert {"stories", "drift"}.isdisjoint(client.get("/api/corpus").json()["views"])
    for path in ("/api/stories", "/api/drift"):
        resp = client.get(path)
        assert resp.status_code == 404 and "sayso stories" in resp.json()["detail"]


def test_stories_and_drift_once_built(analyzer, tmp_path):
    import json

    from typer.testing import CliRunner

    from sayso.cli import app

    hedged = (
        "Kellford Mayor Teodora Brisk faces questions over a consulting contract. "
        "The mayor's office allegedly awarded a $1.2 million contract to Lanthorn Advisory without a council vote, "
        "according to two council members. The council has scheduled a special hearing for March 14."
    )
    asserted = (
        "The Kellford City Council will question Mayor Teodora Brisk's aides on March 14. "
        "Brisk's office gave Lanthorn Advisory a contract worth $1.2 million and never put it before the council. "
        "Lanthorn is a consulting firm based in Richmont."
    )
    feed = tmp_path / "feed.jsonl"
    records = [{"id": "a", "published": "2024-03-04", "text": hedged}, {"id": "b", "published": "2024-03-08", "text": asserted}]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "c.duckdb"
    assert CliRunner().invoke(app, ["batch", str(feed), "--db", str(db), "--no-progress"]).exit_code == 0
    built = CliRunner().invoke(app, ["drift", str(db), "--format", "json"])
    assert built.exit_code == 0, built.output
    expected = json.loads(built.stdout)
    with TestClient(create_app(ServeConfig(db=db), analyzer=analyzer), base_url=BASE) as c:
        assert {"stories", "drift"} <= set(c.get("/api/corpus").json()["views"])
        stories = c.get("/api/stories").json()
        assert stories["total"] == 1 and stories["items"][0]["articles"] == ["a", "b"]
        drift = c.get("/api/drift").json()["items"]
        assert [{k: d[k] for k in ("from", "to", "change", "why")} for d in drift] == expected
        assert drift and drift[0]["change"] == "hardened" and drift[0]["to"]["article"] == "b"
        assert c.get("/api/drift", params={"all": "true"}).json()["total"] >= len(drift)


def test_queries_at_once_share_the_store_and_leave_it_free(store):
    """Many requests at once share one read-only connection (two threads opening the file at the
    same moment can collide on its lock); when the last is done, nothing holds the file."""
    from concurrent.futures import ThreadPoolExecutor

    from sayso.web.corpus import Corpus

    corpus = Corpus(store)
    with ThreadPoolExecutor(16) as pool:
        counts = list(pool.map(lambda _: corpus._rows("SELECT count(*) AS n FROM articles")[0]["n"], range(200)))
    assert counts == [6] * 200
    assert corpus._con is None
    writer = duckdb.connect(str(store))  # a writer gets in: no connection is left open
    writer.close()
