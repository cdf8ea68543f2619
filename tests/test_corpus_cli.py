"""`sayso stories` and `sayso drift` on a store that `sayso batch --db` has just made, and after it grew."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sayso.cli import app

A = (
    "Kellford Mayor Teodora Brisk faces questions over a consulting contract. "
    "The mayor's office allegedly awarded a $1.2 million contract to Lanthorn Advisory without a council vote, "
    "according to two council members. The council has scheduled a special hearing for March 14."
)
B = (
    "The Kellford City Council will question Mayor Teodora Brisk's aides on March 14. "
    "Brisk's office gave Lanthorn Advisory a contract worth $1.2 million and never put it before the council. "
    "Lanthorn is a consulting firm based in Richmont."
)
C = (
    "A magnitude 5.4 earthquake hit the island of Osgard on Friday, injuring 40 residents of Port Linnet. "
    "The harbour of Port Linnet was damaged, officials in Osgard said."
)
D = "Teodora Brisk's office said the Lanthorn Advisory contract for $1.2 million may have been awarded without a council vote in Kellford."




def _json(args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_stories_and_drift_on_a_fresh_store_then_a_grown_one(tmp_path, batch_into):
    db = tmp_path / "corpus.duckdb"
    batch_into(tmp_path, [
        {"id": "a", "text": A, "published": "2024-03-04"},
        {"id": "b", "text": B, "published": "2024-03-08"},
        {"id": "c", "text": C, "published": "2024-03-05"},
    ], db)
    links = _json(["drift", str(db), "--format", "json"])  # nothing run in between
    hardened = [x for x in links if x["change"] == "hardened"]
    assert hardened and hardened[0]["from"]["article"] == "a" and hardened[0]["to"]["article"] == "b"
    assert hardened[0]["from"]["status"] in {"anonymous", "attributed", "hedged"} and hardened[0]["to"]["status"] == "asserted"
    assert B[hardened[0]["to"]["start"] : hardened[0]["to"]["end"]].startswith("Brisk's office gave")
    assert set(hardened[0]) == {"from", "to", "change", "why"}
    everything = _json(["drift", str(db), "--format", "json", "--all"])
    assert len(everything) >= len(links)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    row = con.execute(
        "SELECT c.first_article, l.from_status, l.to_status FROM claim_links l JOIN corpus_claims c USING (claim_id) "
        "WHERE l.change = 'hardened'"
    ).fetchone()
    con.close()
    assert row is not None and row[0] == "a" and row[2] == "asserted"

    first = _json(["stories", str(db), "--format", "json"])
    groups = sorted(sorted(s["articles"]) for s in first)
    assert groups == [["a", "b"], ["c"]]
    assert _json(["stories", str(db), "--format", "json"]) == first  # a rebuild keeps the ids

    batch_into(tmp_path, [{"id": "d", "text": D, "published": "2024-03-10"}], db)
    grown = _json(["stories", str(db), "--format", "json", "--update"])
    story_of = {a: s["story"] for s in grown for a in s["articles"]}
    old = {a: s["story"] for s in first for a in s["articles"]}
    assert story_of["d"] == story_of["a"] == old["a"] and story_of["c"] == old["c"]
    softened = [x for x in _json(["drift", str(db), "--format", "json"]) if x["to"]["article"] == "d"]
    assert any(x["change"] == "softened" and x["from"]["article"] == "b" for x in softened)

    text = CliRunner().invoke(app, ["drift", str(db)])
    assert text.exit_code == 0 and "hardened" in text.output and "Brisk's office gave" in text.output


def test_corpus_ids_and_duplicates_in_the_store(tmp_path, batch_into):
    import duckdb

    db = tmp_path / "corpus.duckdb"
    batch_into(tmp_path, [{"id": "a", "text": A}, {"id": "a-copy", "text": A + " Updated."}, {"id": "b", "text": B}], db)
    _json(["stories", str(db), "--format", "json"])
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT duplicate_of FROM articles WHERE id = 'a-copy'").fetchone() == ("a",)
    ids = {r[0] for r in con.execute("SELECT corpus_id FROM entities WHERE name LIKE '%Brisk%'").fetchall()}
    assert len(ids) == 1 and None not in ids
    assert con.execute("SELECT count(*) FROM entities WHERE corpus_id IS NULL").fetchone() == (0,)
    con.close()
    with_copies = CliRunner().invoke(app, ["stats", str(db), "--format", "csv"])
    without = CliRunner().invoke(app, ["stats", str(db), "--format", "csv", "--no-duplicates"])
    assert with_copies.exit_code == 0 and without.exit_code == 0, without.output
    assert "source,roles,attributions,articles" in without.output
    assert without.output.count("\n") <= with_copies.output.count("\n") and without.output != with_copies.output


def test_bad_store_is_one_line(tmp_path):
    result = CliRunner().invoke(app, ["stories", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 2 and "no such database" in result.output
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    result = CliRunner().invoke(app, ["drift", str(junk), "--format", "json"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_claim_inside_a_quotation_over_sentences_is_the_sources(tmp_path, batch_into):
    # The reader sees every sentence of the quotation as the minister's; drift must too, so the
    # later plain statement of the middle sentence's claim hardened it.
    earlier = (
        "Minister Ana Prell visited the Denholm plant on Monday. \"We will close the Denholm plant next year. "
        "Nobody at Denholm will lose a job. The workers will move to Ashgrove,\" said Minister Ana Prell."
    )
    later = "Minister Ana Prell's plan for the Denholm plant drew praise on Thursday. Nobody at the Denholm plant will lose a job."
    db = tmp_path / "quote.duckdb"
    batch_into(tmp_path, [{"id": "e", "text": earlier, "published": "2024-05-06"}, {"id": "f", "text": later, "published": "2024-05-09"}], db)
    links = _json(["drift", str(db), "--format", "json", "--all"])
    job = [x for x in links if earlier[x["from"]["start"] : x["from"]["end"]].startswith("Nobody at Denholm")]
    assert job and job[0]["from"]["status"] == "attributed" and job[0]["to"]["status"] == "asserted"
    assert job[0]["change"] == "hardened"
    assert earlier[job[0]["from"]["start"] : job[0]["from"]["end"]] == "Nobody at Denholm will lose a job."  # cut to its sentence
