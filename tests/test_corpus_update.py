"""The corpus layer's update: it reads only what is new, agrees with a rebuild, and an interrupted one
leaves the store as it was."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter

import duckdb
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from typer.testing import CliRunner

from sayso.cli import app
from sayso.corpus import build, crossclaims, dedup, vectors

BRIDGE = [
    "The Harlow Street bridge in Dunmore will close for repairs on May 2, city engineer Nadia Orr said. "
    "Orr said cracks were found in two of the bridge's steel beams during an inspection in April.",
    "Dunmore's Harlow Street bridge shuts on May 2 after inspectors found cracked steel beams, engineer Nadia Orr told reporters. "
    "The repairs will cost $3.4 million, the city said.",
    "Repairs to the cracked beams of the Harlow Street bridge in Dunmore may cost $3.4 million, according to city engineer Nadia Orr.",
]
QUAKE = [
    "A magnitude 5.4 earthquake hit the island of Osgard on Friday, injuring 40 residents of Port Linnet. "
    "The harbour of Port Linnet was damaged, officials in Osgard said.",
    "In Port Linnet on Osgard, Friday's earthquake damaged the harbour and 40 people were hurt, officials in Osgard said.",
]
NEW_BRIDGE = "Nadia Orr, Dunmore's city engineer, said the Harlow Street bridge repairs will cost $3.4 million and the bridge closes May 2."




@pytest.fixture()
def built(tmp_path, batch_into):
    """A store of two stories, its corpus layer built and its claims linked."""
    db = tmp_path / "corpus.duckdb"
    records = [{"id": f"b{k}", "text": t, "published": f"2024-04-2{k}"} for k, t in enumerate(BRIDGE)]
    records += [{"id": f"q{k}", "text": t, "published": f"2024-03-0{k + 1}"} for k, t in enumerate(QUAKE)]
    batch_into(tmp_path, records, db)
    con = duckdb.connect(str(db))
    build.ensure(con, rebuild=True)
    crossclaims.build(con)
    con.close()
    return db


# what an update keeps row for row as a rebuild would make it: the story rows (first article, title,
# count) and corpus entities (name, type, roles, articles, mentions) from their kept tallies
KEPT_AS_A_REBUILD = ("stories", "corpus_entities", "corpus_names", "corpus_entity_names", "corpus_story_people")


def _stories(con) -> dict[str, str]:
    return dict(con.execute("SELECT id, story_id FROM articles").fetchall())


def test_an_update_reads_only_the_new_articles(built, tmp_path, monkeypatch, batch_into):
    batch_into(tmp_path, [
        {"id": "n1", "text": NEW_BRIDGE, "published": "2024-04-25"},
        {"id": "n2", "text": QUAKE[0] + " Updated.", "published": "2024-03-03"},  # a near-duplicate copy
    ], built)
    counted: list[str] = []
    real = build.counts

    def spy(text: str) -> Counter:
        counted.append(text)
        return real(text)

    monkeypatch.setattr(build, "counts", spy)
    con = duckdb.connect(str(built))
    before = _stories(con)
    build.ensure(con)
    after = _stories(con)
    assert after["n1"] == before["b0"] and after["n2"] == before["q0"]
    assert con.execute("SELECT duplicate_of FROM articles WHERE id = 'n2'").fetchone() == ("q0",)
    assert {k: after[k] for k in before if before[k]} == {k: s for k, s in before.items() if s}  # stories already made stay
    assert counted == [NEW_BRIDGE]  # the new original alone: the story it joined is read through its stored centroid
    assert con.execute("SELECT count(*) FROM entities WHERE corpus_id IS NULL").fetchone() == (0,)
    orr = {c for (c,) in con.execute("SELECT corpus_id FROM entities WHERE name LIKE '%Orr%' AND type = 'PERSON'").fetchall()}
    assert orr == {"person:nadia-orr"}
    assert con.execute(f"SELECT articles FROM stories WHERE story_id = '{before['b0']}'").fetchone() == (4,)
    pending = [s for (s,) in con.execute("SELECT story_id FROM corpus_pending").fetchall()]
    assert pending == [before["b0"]]  # the quake gained a copy alone: its claims are linked already
    updated = sorted(con.execute("SELECT article_id, entity_id, corpus_id FROM entities").fetchall())
    links = sorted(con.execute('SELECT article_id, start, "end", corpus_id FROM description_links').fetchall())
    assert any(a == "n1" for a, *_ in links)
    kept = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall()) for t in KEPT_AS_A_REBUILD}
    assert kept["stories"] and kept["corpus_entities"] and kept["corpus_story_people"]
    build.ensure(con, rebuild=True)
    again = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall()) for t in KEPT_AS_A_REBUILD}
    assert again == kept
    assert sorted(con.execute("SELECT article_id, entity_id, corpus_id FROM entities").fetchall()) == updated  # as a rebuild
    assert sorted(con.execute('SELECT article_id, start, "end", corpus_id FROM description_links').fetchall()) == links
    assert _stories(con) == after
    con.close()


def test_an_update_relinks_only_the_new_articles_claims_and_matches_a_full_relink(built, tmp_path, monkeypatch, batch_into):
    batch_into(tmp_path, [
        {"id": "n1", "text": NEW_BRIDGE, "published": "2024-04-25"},
        {"id": "n3", "text": "Officials in Osgard said on Saturday that 40 residents of Port Linnet were hurt in Friday's earthquake.",
         "published": "2024-03-02"},
    ], built)
    copy = tmp_path / "copy.duckdb"
    shutil.copy(built, copy)
    con = duckdb.connect(str(copy))
    build.ensure(con)
    in_one_chunk = _keys(crossclaims.build(con, pending=True))
    con.close()
    monkeypatch.setattr(crossclaims, "STORY_CHUNK", 1)  # one pending story at a time: the same links
    con = duckdb.connect(str(built))
    old = {(r[0], r[1], r[2], r[3]) for r in con.execute("SELECT from_article, from_sentence, to_article, to_sentence FROM claim_links").fetchall()}
    assert old
    build.ensure(con)
    keys = _keys(crossclaims.build(con, pending=True))
    assert keys == in_one_chunk
    assert old <= keys and any("n1" in (k[0], k[2]) for k in keys) and any("n3" in (k[0], k[2]) for k in keys)
    assert not con.execute("SELECT count(*) FROM corpus_pending").fetchone()[0]
    ids = con.execute("SELECT count(DISTINCT claim_id), count(*) FROM claim_links").fetchone()
    assert ids[0] >= 1 and ids[1] >= ids[0]
    history = dict(con.execute("SELECT claim_id, articles FROM corpus_claims").fetchall())
    assert set(history) == {c for (c,) in con.execute("SELECT DISTINCT claim_id FROM claim_links").fetchall()}
    assert all(n >= 2 for n in history.values())
    # claims merged by the update's links, without reading the old links back: each claim id is one
    # connected component of the links, and its history counts that component's articles
    links = con.execute("SELECT from_article, from_sentence, to_article, to_sentence, claim_id FROM claim_links").fetchall()
    parent: dict = {}

    def top(k):
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for a, s, b, t, _ in links:
        parent[top((a, s))] = top((b, t))
    by_component: dict = {}
    for a, s, _b, _t, cid in links:
        by_component.setdefault(top((a, s)), set()).add(cid)
    assert all(len(ids) == 1 for ids in by_component.values()) and len(by_component) == len(history)
    articles: dict = {}
    for a, _s, b, _t, cid in links:
        articles.setdefault(cid, set()).update((a, b))
    assert history == {cid: len(arts) for cid, arts in articles.items()}
    full = _keys(crossclaims.build(con))  # every story linked afresh: the new articles' links mostly the same
    with_new = {k for k in keys if {"n1", "n3"} & {k[0], k[2]}}
    assert len(with_new & full) >= 0.6 * len(with_new | {k for k in full if {"n1", "n3"} & {k[0], k[2]}})
    con.close()


def _keys(links: list[dict]) -> set[tuple]:
    return {(x["from"]["article"], x["from"]["sentence"], x["to"]["article"], x["to"]["sentence"]) for x in links}


def test_drift_on_an_up_to_date_store_does_no_corpus_work(built, monkeypatch):
    first = CliRunner().invoke(app, ["drift", str(built), "--format", "json", "--all"])
    assert first.exit_code == 0, first.output

    def fail(*args, **kwargs):
        raise AssertionError("corpus work on an up-to-date store")

    for name in ("_rebuild", "_update", "_entities"):
        monkeypatch.setattr(build, name, fail)
    monkeypatch.setattr(crossclaims.claims_mod, "link", fail)
    again = CliRunner().invoke(app, ["drift", str(built), "--format", "json", "--all"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == json.loads(first.stdout) and json.loads(first.stdout)


KILL = """
import os, signal, sys, duckdb
from sayso.corpus import build
real = build._descriptions
def die(*args, **kwargs):
    real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)  # mid-transaction, after most of the update's writes
build._descriptions = die
build.ensure(duckdb.connect(sys.argv[1]))
"""


def _snapshot(db) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    out = {t: sorted(map(str, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in (
        "stories", "corpus_entities", "description_links", "corpus_articles", "corpus_terms", "corpus_blocks", "corpus_pending",
    )}
    out["articles"] = sorted(con.execute("SELECT id, story_id, duplicate_of FROM articles").fetchall())
    out["entities"] = sorted(con.execute("SELECT article_id, entity_id, corpus_id FROM entities").fetchall())
    con.close()
    return out


def test_an_update_killed_midway_leaves_the_store_as_it_was_and_the_next_completes_it(built, tmp_path, batch_into):
    batch_into(tmp_path, [{"id": "n1", "text": NEW_BRIDGE, "published": "2024-04-25"}], built)
    before = _snapshot(built)
    run = subprocess.run([sys.executable, "-c", KILL, str(built)], capture_output=True, text=True, timeout=300)
    assert run.returncode == -9, run.stderr
    assert _snapshot(built) == before
    con = duckdb.connect(str(built))
    build.ensure(con)
    assert con.execute("SELECT story_id IS NOT NULL FROM articles WHERE id = 'n1'").fetchone() == (True,)
    con.close()


def test_a_rebuild_in_chunks_of_feed_order_groups_as_one_chunk_and_reads_a_chunk_at_a_time(built, tmp_path, batch_into, monkeypatch):
    batch_into(tmp_path, [
        {"id": "n1", "text": NEW_BRIDGE, "published": "2024-04-25"},
        {"id": "n2", "text": QUAKE[0] + " Updated.", "published": "2024-03-03"},
    ], built)
    con = duckdb.connect(str(built))
    build.ensure(con, rebuild=True)
    whole = _stories(con)
    links = sorted(con.execute("SELECT * FROM description_links").fetchall())
    read: list[int] = []
    real = build.store.read_articles

    def spy(con, where="TRUE"):
        rows = real(con, where)
        read.append(sum(r["text"] is not None for r in rows))
        return rows

    monkeypatch.setattr(build.store, "read_articles", spy)
    monkeypatch.setattr(build, "REBUILD_CHUNK", 2)
    placed: list[tuple[int, int]] = []
    build.ensure(con, rebuild=True, progress=lambda done, total: placed.append((done, total)))
    assert placed == [(2, 7), (4, 7), (6, 7), (7, 7)]  # progress a chunk at a time
    assert _stories(con) == whole  # ids kept too
    assert len(set(whole.values())) == 2 and con.execute("SELECT duplicate_of FROM articles WHERE id = 'n2'").fetchone() == ("q0",)
    assert sorted(con.execute("SELECT * FROM description_links").fetchall()) == links
    assert read and max(read) <= 2  # 7 articles, never more than a chunk's texts
    sizes = dict(con.execute("SELECT story_id, originals FROM corpus_stories").fetchall())
    assert sorted(sizes.values()) == [2, 4]  # the copy n2 is not an original
    con.close()


def test_weigh_is_scikit_learn_s_sublinear_tf_idf_per_block():
    texts = [BRIDGE[0], BRIDGE[1], QUAKE[0], "No capitals here at all.", ""]
    blocks = []
    for analyzer in (vectors.names_and_numbers, vectors.content_words):
        blocks.append(TfidfVectorizer(analyzer=analyzer, lowercase=False, sublinear_tf=True).fit_transform(texts))
    expected = normalize(sp.hstack(blocks).tocsr())
    got = vectors.article_vectors(texts)
    assert got.shape == expected.shape and np.allclose(got.toarray(), expected.toarray())
    assert got[0].nnz and not got[4].nnz


def test_near_duplicate_groups_keep_the_originals_an_earlier_build_chose():
    order = {"old": (False, 2, 0), "new": (False, 1, 1), "other": (False, 3, 2)}
    assert dedup.originals(order, [("new", "old")]) == {"old": "new"}  # a rebuild: the earlier one is the original
    assert dedup.originals(order, [("new", "old")], kept={"old": None}) == {"new": "old"}  # an update keeps it
    assert dedup.originals(order, [("new", "other")], kept={"old": None}) == {"other": "new"}
    # a new article like an earlier build's copy (and not like its original) points at that original, not at the copy
    assert dedup.originals(order, [("new", "old")], kept={"old": "first"}) == {"old": "first", "new": "first"}


def test_the_feed_step_updates_a_store_the_explorer_is_serving(analyzer, tmp_path, batch_into):
    from fastapi.testclient import TestClient

    from sayso.web import ServeConfig, create_app

    db = tmp_path / "corpus.duckdb"
    batch_into(tmp_path, [{"id": f"b{k}", "text": t, "published": f"2024-04-2{k}"} for k, t in enumerate(BRIDGE[:2])], db)
    with TestClient(create_app(ServeConfig(db=db), analyzer=analyzer), base_url="http://127.0.0.1:8000") as client:
        assert "stories" not in client.get("/api/corpus").json()["views"]
        feed = tmp_path / "today.jsonl"
        feed.write_text(json.dumps({"id": "n1", "text": NEW_BRIDGE, "published": "2024-04-25"}) + "\n", encoding="utf-8")
        result = CliRunner().invoke(app, ["batch", str(feed), "--db", str(db), "--corpus", "--no-progress"])
        assert result.exit_code == 0, result.output
        assert "corpus: 3 new articles placed; 1 stories" in result.output  # the first run places every article
        assert "stories" in client.get("/api/corpus").json()["views"]  # no restart
        stories = client.get("/api/stories").json()
        assert stories["total"] == 1 and sorted(stories["items"][0]["articles"]) == ["b0", "b1", "n1"]


def test_batch_corpus_needs_a_store(tmp_path):
    feed = tmp_path / "f.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": NEW_BRIDGE}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(feed), "--out", str(tmp_path / "o.jsonl"), "--corpus"])
    assert result.exit_code == 2 and "--corpus needs --db" in result.output and "Traceback" not in result.output


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])  # a writer: holds the file's lock
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_the_explorer_answers_503_while_a_writer_holds_the_store(analyzer, built, monkeypatch):
    from fastapi.testclient import TestClient

    from sayso.web import ServeConfig, corpus, create_app

    monkeypatch.setattr(corpus, "READ_WAIT", 0.3)
    with TestClient(create_app(ServeConfig(db=built), analyzer=analyzer), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/api/stories").status_code == 200
        writer = subprocess.Popen([sys.executable, "-c", HOLD, str(built), "30"], stdout=subprocess.PIPE, text=True)
        try:
            assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"
            busy = client.get("/api/stories")
            assert busy.status_code == 503 and busy.headers["retry-after"] == "2" and "being updated" in busy.json()["detail"]
        finally:
            writer.kill()
            writer.wait()
        assert client.get("/api/stories").status_code == 200


def test_the_corpus_commands_connections_print_no_duckdb_progress_bar(built):
    """DuckDB draws its own progress bar on stdout for a query over 2 s, which would break
    `sayso stories --format json` on a big store; every connection sayso opens turns it off."""
    from sayso.store.database import open_waiting

    con = open_waiting(built, read_only=True)
    assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)
    con.close()


def test_a_store_whose_state_another_sayso_version_kept_is_rebuilt_not_updated(built, tmp_path, batch_into, monkeypatch):
    batch_into(tmp_path, [{"id": "n1", "text": NEW_BRIDGE, "published": "2024-04-25"}], built)
    con = duckdb.connect(str(built))
    con.execute("UPDATE corpus_version SET version = version - 1")  # what an older sayso left: its tallies may be missing
    calls: list[str] = []
    monkeypatch.setattr(build, "_rebuild", lambda *a, **k: calls.append("rebuild"))
    monkeypatch.setattr(build, "_update", lambda *a, **k: calls.append("update"))
    build.ensure(con)
    con.execute("UPDATE corpus_version SET version = version + 1")
    build.ensure(con)
    con.close()
    assert calls == ["rebuild", "update"]


def test_an_update_runs_with_duckdb_held_to_its_memory_limit_and_gives_the_setting_back(built, tmp_path, batch_into, monkeypatch):
    from sayso.store import corpus as store

    batch_into(tmp_path, [{"id": "n1", "text": NEW_BRIDGE, "published": "2024-04-25"}], built)
    con = duckdb.connect(str(built))
    con.execute("SET memory_limit = '3GB'")
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()
    seen: list[str] = []
    real = build._refresh_stories

    def spy(c, new):
        seen.append(c.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return real(c, new)

    monkeypatch.setattr(build, "_refresh_stories", spy)
    build.ensure(con)
    crossclaims.link(con, pending=True)
    assert seen and all(s.endswith("MiB") and float(s.split()[0]) < 400 for s in seen)  # 400MB is 381.4 MiB
    assert store.UPDATE_MEMORY == "400MB"
    after = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert after.endswith("GiB") and abs(float(after.split()[0]) - float(before[0].split()[0])) <= 0.3  # as DuckDB shows it
    con.close()
