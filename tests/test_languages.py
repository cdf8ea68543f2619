"""French and Russian: routing by the text's language, and each construction of the reports in both
languages (sentences written for these tests)."""

from __future__ import annotations

import json

import pytest

from sayso.analyzer import Analyzer, Article
from sayso.batch import run as batch_run
from sayso.errors import InputError
from sayso.lexicon import speech
from sayso.ru.tokenizer import RazdelTokenizer

PUB = "2025-09-04"


def text_of(report: dict, span: dict | None) -> str | None:
    return None if span is None else span["text"]


def by_cue(report: dict, cue: str) -> dict:
    found = [a for a in report["attributions"] if a["cue"]["text"] == cue]
    assert found, [a["cue"]["text"] for a in report["attributions"]]
    return found[0]


def entity(report: dict, ent_id: str | None) -> dict:
    assert ent_id is not None
    return next(e for e in report["entities"] if e["id"] == ent_id)


def status_of(report: dict, text: str, words: str) -> str:
    for s in report["sentences"]:
        if words in text[s["start"] : s["end"]]:
            return s["status"]
    raise AssertionError(f"no sentence holds {words!r}")


FR = (
    "Le porte-parole du Kremlin, Dmitri Peskov, a affirmé mardi que Moscou n'avait pas été informé. "
    "« Nous sommes prêts », a-t-il ajouté lors d'une conférence de presse.\n\n"
    "Selon une source proche du dossier, la rencontre aura lieu la semaine prochaine.\n\n"
    "Le ministre aurait démissionné en juillet. Si la loi passait, le ministre démissionnerait. "
    "Les prix ont augmenté de 3 % en 2023."
)
RU = (
    "Министр обороны Андрей Белоусов заявил в интервью РИА Новости, что армия готова к переговорам.\n\n"
    "— Мы не допустим провокаций, — сказал он журналистам.\n\n"
    "По словам источника в правительстве, решение было принято в прошлом году. "
    "Встреча якобы состоится в понедельник. Цены выросли на 5% в 2023 году."
)


@pytest.fixture(scope="module")
def fr(analyze) -> dict:
    return analyze(FR, PUB)


@pytest.fixture(scope="module")
def ru(analyze) -> dict:
    return analyze(RU, PUB)


def test_each_article_is_read_in_its_own_language(fr, ru, analyze):
    assert fr["meta"]["language"] == "fr"
    assert ru["meta"]["language"] == "ru"
    assert analyze("The mayor said on Monday that the plan had failed and would be replaced.")["meta"]["language"] == "en"


def test_a_short_text_is_read_by_its_script(analyze):
    assert analyze("Он сказал: да.")["meta"]["language"] == "ru"
    assert analyze("He said yes.")["meta"]["language"] == "en"


def test_other_languages_are_still_refused_in_one_line(analyzer):
    german = "Der Bundeskanzler sagte am Dienstag, dass die Regierung die Reform im Juli verabschieden werde."
    with pytest.raises(InputError, match=r"unsupported language: the text reads as German \(de\)"):
        analyzer.analyze(Article(german))


def test_a_forced_language_is_used_and_checked(nlp):
    forced = Analyzer(nlp, language="fr")
    assert forced.analyze(Article("Il a dit oui."))["meta"]["language"] == "fr"
    with pytest.raises(InputError, match="unknown language 'xx'"):
        Analyzer(nlp, language="xx")


def test_french_source_is_the_named_person_with_the_role_before_the_name(fr):
    att = by_cue(fr, "affirmé")
    assert text_of(fr, att["source"]) == "Dmitri Peskov"
    person = entity(fr, att["source"]["entity"])
    assert person["roles"] == ["porte-parole du Kremlin"]
    assert [c["text"] for c in att["content"]] == ["Moscou n'avait pas été informé"]


def test_french_quotation_with_an_inverted_cue_keeps_its_speaker_and_channel(fr):
    att = by_cue(fr, "ajouté")
    assert att["kind"] == "direct"
    assert [c["text"] for c in att["content"]] == ["Nous sommes prêts"]
    assert text_of(fr, att["channel"]) == "lors d'une conférence de presse"
    assert att["source"]["entity"] == by_cue(fr, "affirmé")["source"]["entity"]  # "il" is Peskov
    assert status_of(fr, FR, "Nous sommes prêts") == "attributed"


def test_french_unnamed_source_is_anonymous(fr):
    att = by_cue(fr, "Selon")
    assert text_of(fr, att["source"]) == "une source proche du dossier"
    assert status_of(fr, FR, "la rencontre aura lieu") == "anonymous"


def test_the_journalistic_conditional_is_a_hedge_in_the_outlets_voice(fr):
    sentence = next(s for s in fr["sentences"] if "aurait démissionné" in FR[s["start"] : s["end"]])
    assert sentence["status"] == "hedged"
    assert [(c["kind"], FR[c["start"] : c["end"]]) for c in sentence["cues"]] == [("hedge", "aurait démissionné")]
    # a conditional under "si" is a hypothesis, not a report
    assert status_of(fr, FR, "démissionnerait") == "asserted"


def test_french_times_are_valued_from_the_publication_date(fr):
    values = {t["text"]: t["value"] for t in fr["times"]}
    assert values["mardi"] == "2025-09-02"
    assert values["la semaine prochaine"] == "2025-W37"
    assert values["juillet"] == "2025-07"
    assert values["2023"] == "2023"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Le porte-parole a indiqué que le texte serait présenté en avril.", "2026-04"),  # future in the past
        ("Selon la police, le suspect aurait quitté le pays en avril.", "2025-04"),  # conditional perfect: past
        ("Le gouvernement devrait présenter de nouvelles mesures en avril.", "2026-04"),  # infinitive under a modal
        ("Захарова заявила, что документ будет представлен в апреле.", "2026-04"),
        ("Правительство намерено представить новые меры в апреле.", "2026-04"),
        ("В апреле цены на продукты в магазинах страны заметно выросли.", "2025-04"),
    ],
)
def test_a_month_takes_its_year_from_the_tense_of_its_verb(analyze, text, value):
    assert [t["value"] for t in analyze(text, PUB)["times"]] == [value]


def test_eval_languages_scores_status_source_and_time():
    from sayso.eval import languages

    text = "Il a dit oui en mai. Le ciel est bleu."
    gold = [{"id": "p", "language": "fr", "text": text, "sentences": [{"in": "ciel", "status": "asserted"}, {"in": "oui", "status": "attributed"}],
             "sources": [{"in": "oui", "source": "Paul"}], "times": [{"text": "mai", "value": "2025-05"}]}]
    report = {"sentences": [{"start": 0, "end": 20, "status": "attributed"}, {"start": 21, "end": 37, "status": "hedged"}],
              "attributions": [{"cue": {"start": 5, "end": 8}, "source": {"text": "Il", "entity": "e0"}}],
              "entities": [{"id": "e0", "name": "Paul"}], "times": [{"start": 17, "end": 20, "value": "2024-05"}]}
    row = languages.score(gold, {"p": report})["fr"]
    assert (row["status"]["right"], row["status"]["total"]) == (1, 2)
    assert row["sources"]["accuracy"] == 1.0
    assert row["times"]["accuracy"] == 0.0
    assert languages.score(gold, {})["fr"]["status"]["right"] == 0


@pytest.mark.parametrize(
    ("text", "cue", "source", "content"),
    [
        ("« Le projet „Horizon“ est abandonné », a déclaré le ministre de la Culture, Rachida Dati, lundi devant les sénateurs.",
         "déclaré", "Rachida Dati", "Le projet „Horizon“ est abandonné"),
        ("«Проект „Горизонт“ закрыт», — заявил министр культуры Ольга Любимова журналистам в понедельник.",
         "заявил", "Ольга Любимова", "Проект „Горизонт“ закрыт"),
    ],
)
def test_a_quotation_nested_in_guillemets_is_one_quotation_with_its_speaker_after_it(analyze, text, cue, source, content):
    report = analyze(text, PUB)
    att = by_cue(report, cue)
    assert text_of(report, att["source"]) == source
    assert [c["text"] for c in att["content"]] == [content] and att["kind"] == "direct"
    person = entity(report, att["source"]["entity"])
    assert all("lundi" not in r and "понедельник" not in r for r in person["roles"])


def test_russian_source_role_and_channel(ru):
    att = by_cue(ru, "заявил")
    assert text_of(ru, att["source"]) == "Андрей Белоусов"
    assert entity(ru, att["source"]["entity"])["roles"] == ["Министр обороны"]
    assert text_of(ru, att["channel"]) == "в интервью РИА Новости"
    assert [c["text"] for c in att["content"]] == ["армия готова к переговорам"]


def test_russian_dialogue_dash_is_the_speakers_words(ru):
    att = by_cue(ru, "сказал")
    assert [c["text"] for c in att["content"]] == ["Мы не допустим провокаций"] and att["kind"] == "direct"
    assert att["source"]["entity"] == by_cue(ru, "заявил")["source"]["entity"]  # "он" is Belousov
    assert status_of(ru, RU, "провокаций") == "attributed"


def test_russian_anonymous_source_hedge_and_times(ru):
    assert text_of(ru, by_cue(ru, "По словам")["source"]) == "источника в правительстве"
    assert status_of(ru, RU, "решение было принято") == "anonymous"
    assert status_of(ru, RU, "якобы") == "hedged"
    assert status_of(ru, RU, "Цены выросли") == "asserted"
    values = {t["text"]: t["value"] for t in ru["times"]}
    assert values["в прошлом году"] == "2024"
    assert values["понедельник"] == "2025-09-08"
    assert values["2023 году"] == "2023"


def test_a_russian_word_with_latin_look_alikes_is_confusable(analyze):
    text = "Министр заявил, что Мoсква готова к переговорам. Представитель МИД сообщил, что встреча пройдёт в июле."
    found = analyze(text)["integrity"]
    assert [(f["kind"], f["text"], f["suggestion"]) for f in found] == [("confusable", "Мoсква", "Москва")]


def test_the_russian_tokenizer_keeps_the_text_character_for_character(nlp):
    text = "  Первая  строка,\tвторая.\n\n«Цитата» — конец. "
    doc = RazdelTokenizer(nlp.vocab)(text)
    assert doc.text == text
    assert "Цитата" in [t.text for t in doc]


def test_a_speech_lexicon_line_with_an_unknown_key_is_refused():
    with pytest.raises(speech.SpeechLexiconError, match="x.txt:2"):
        speech.parse("verbs: dire\nverbes: dire\n", "x.txt")
    assert speech.parse("verbs: dire\n  déclarer\naccording: d'_après\n", "x").according == (("d'", "après"),)


def test_a_mixed_folder_gives_each_article_its_languages_report(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a-fr.txt").write_text(FR, encoding="utf-8")
    (folder / "b-ru.txt").write_text(RU, encoding="utf-8")
    (folder / "c-en.txt").write_text("The mayor said on Monday that the plan had failed, officials said.", encoding="utf-8")
    (folder / "d-de.txt").write_text("Der Bundeskanzler sagte am Dienstag, dass die Regierung die Reform verabschieden werde.", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    batch_run.main(folder, out=out, progress=False)
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert {k: (r.get("meta") or {}).get("language") for k, r in rows.items()} == {
        "a-fr": "fr", "b-ru": "ru", "c-en": "en", "d-de": None,
    }
    assert rows["d-de"]["error"].startswith("unsupported language")
    assert by_cue(rows["b-ru"], "заявил")["source"]["text"] == "Андрей Белоусов"
