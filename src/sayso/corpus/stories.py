"""Stories: articles about the same real event, grouped.

An article's vector is TF-IDF of its names and numbers beside TF-IDF of its content words
(``sayso.corpus.vectors``); where its lead (``lead``: the first ``LEAD_CHARS`` characters) has a
paraphrase embedding, a pair's similarity is ``(1 - LEAD_WEIGHT)`` x the TF-IDF cosine +
``LEAD_WEIGHT`` x the leads' cosine, so two reports of one event in other words still meet. Candidate pairs come from blocking: two articles are compared only
when they share one of their ``TOP_TERMS`` heaviest terms and, where both are dated, were
published within ``WINDOW_DAYS`` of each other. Near-duplicate copies are left out and join
their original's story. Average linkage at ``THRESHOLD`` then makes the groups (``sayso.corpus.linkage``), and a group
that falls cleanly into two on the terms that set its articles apart is split (``split_events``,
two events of one kind: two earthquakes). A rebuild regroups everything,
an update keeps the stories in the store and lets each new article join one or open its own
(the online case). Articles are ordered by id before anything is computed, so the groups do not
depend on input order; story ids are kept from the previous build by overlap, so they survive
rebuilds, and a new story is named by a hash of its first article.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from sayso.corpus.linkage import average_linkage
from sayso.corpus.vectors import article_vectors, counts, document_frequencies, weigh

THRESHOLD = 0.125  # chosen by leave-topics-out cross-validation on ECB+ (sayso eval stories)
LEAD_WEIGHT = 0.0  # leave-topics-out folds on ECB+ chose 0 in four of five (sayso eval stories): leads of two events of one kind read alike
LEAD_CHARS = 600  # about the first three sentences; the model reads at most 128 word pieces of it
WINDOW_DAYS = 21
TOP_TERMS = 30
PAIR_CHUNK = 20000
NEW_CHUNK = 64  # new articles compared at once in an update (a dense row per article over the candidates' stories)
# Second stage (split_events): chosen on ECB+ dev by scanning 0.3-0.6 (0.4: B³ 0.902 -> 0.916 there).
SPLIT_RATIO = 0.4
SPLIT_MIN = 4
SPLIT_MAX = 400  # a bigger group is left whole (the split compares all its pairs)


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    published: dt.date | None = None
    title: str | None = None
    story: str | None = None  # the story it is in already (online update)
    duplicate_of: str | None = None
    lead_vector: np.ndarray | None = field(default=None, compare=False, repr=False)  # its lead's embedding


def lead(text: str) -> str:
    """What an article's lead embedding is made of: its first ``LEAD_CHARS`` characters, cut at a space."""
    text = " ".join(text.split())
    return text if len(text) <= LEAD_CHARS else text[:LEAD_CHARS].rsplit(" ", 1)[0]


def _first_key(a: Article) -> tuple:
    return (a.published is None, a.published or dt.date.min, a.id)


def blocking_terms(vectors: sp.csr_matrix) -> list[list[int]]:
    """Each row's ``TOP_TERMS`` heaviest columns (ties by column: the same in every run)."""
    out = []
    for r in range(vectors.shape[0]):
        lo, hi = vectors.indptr[r], vectors.indptr[r + 1]
        cols, vals = vectors.indices[lo:hi], vectors.data[lo:hi]
        order = np.lexsort((cols, -vals))[:TOP_TERMS]
        out.append(sorted(int(c) for c in cols[order]))
    return out


def pair_similarities(
    vectors: sp.csr_matrix, leads: np.ndarray | None, i: np.ndarray, j: np.ndarray, lead_weight: float = LEAD_WEIGHT
) -> np.ndarray:
    """The similarity of rows ``i[k]`` and ``j[k]``: the TF-IDF cosine, blended with the leads' where given."""
    sims = np.asarray(vectors[i].multiply(vectors[j]).sum(axis=1)).ravel()
    return blend(sims, (leads[i] * leads[j]).sum(axis=1) if leads is not None else None, lead_weight)


def blend(terms: np.ndarray, leads: np.ndarray | None, lead_weight: float = LEAD_WEIGHT) -> np.ndarray:
    """A pair's similarity from its TF-IDF cosine and, where there are leads, its leads' cosine."""
    if leads is None or not lead_weight:
        return terms
    return (1 - lead_weight) * terms + lead_weight * np.clip(leads, 0, None)


def _leads(arts: Sequence[Article], lead_weight: float) -> np.ndarray | None:
    found = [a.lead_vector for a in arts if a.lead_vector is not None]
    return np.vstack(found) if lead_weight and found and len(found) == len(arts) else None


def candidate_pairs(
    arts: Sequence[Article], vectors: sp.csr_matrix, window_days: int = WINDOW_DAYS, lead_weight: float = LEAD_WEIGHT,
    blocks: list[list[int]] | None = None,
) -> dict[tuple[int, int], float]:
    """Similarity of the pairs that blocking lets through (i < j): two articles that share one of
    their blocking terms and, where both are dated, were published within ``window_days``.
    (``state.block_candidates`` is the same rule as a join over the store, for an update.)"""
    n = len(arts)
    if n < 2:
        return {}
    blocks = blocking_terms(vectors) if blocks is None else blocks
    ind = sp.csr_matrix(
        (np.ones(sum(len(c) for c in blocks)), ([r for r, c in enumerate(blocks) for _ in c], [x for c in blocks for x in c])),
        shape=vectors.shape,
    )
    pattern = sp.triu(ind @ ind.T, k=1).tocoo()
    i_all, j_all = pattern.row, pattern.col
    if window_days is not None:
        days = np.array([a.published.toordinal() if a.published else -1 for a in arts])
        di, dj = days[i_all], days[j_all]
        ok = (di < 0) | (dj < 0) | (np.abs(di - dj) <= window_days)
        i_all, j_all = i_all[ok], j_all[ok]
    leads = _leads(arts, lead_weight)
    pairs: dict[tuple[int, int], float] = {}
    for s in range(0, len(i_all), PAIR_CHUNK):
        i, j = i_all[s : s + PAIR_CHUNK], j_all[s : s + PAIR_CHUNK]
        sims = pair_similarities(vectors, leads, i, j, lead_weight)
        pairs.update(((int(a), int(b)), float(v)) for a, b, v in zip(i, j, sims, strict=True) if v > 0)
    return pairs


def similarities(
    articles: Sequence[Article], window_days: int = WINDOW_DAYS, lead_weight: float = LEAD_WEIGHT
) -> tuple[list[Article], dict[tuple[int, int], float]]:
    """The articles in id order and the similarity of their candidate pairs (indices into that order)."""
    arts = sorted(articles, key=lambda a: a.id)
    return arts, candidate_pairs(arts, article_vectors([a.text for a in arts]), window_days, lead_weight)


@dataclass
class Grouped:
    """Stories made, and what an update needs kept from making them: each original's term counts
    and blocking terms (``sayso.corpus.state``)."""

    groups: list[list[Article]]
    counts: dict[str, Counter]
    blocks: dict[str, list[str]]


def group_kept(articles: Sequence[Article], threshold: float = THRESHOLD, update: bool = False, window_days: int = WINDOW_DAYS) -> Grouped:
    """``group``, with the term counts and blocking terms of the originals."""
    originals, copies = split_copies(articles)
    arts = sorted(originals, key=lambda a: a.id)
    found = [counts(a.text) for a in arts]
    vectors, vocab = weigh(found, document_frequencies(found), len(found)) if arts else (sp.csr_matrix((0, 0)), [])
    blocks = blocking_terms(vectors)
    pairs = candidate_pairs(arts, vectors, window_days, blocks=blocks)
    groups = add_copies(group_pairs(arts, pairs, threshold, update), copies)
    return Grouped(groups, {a.id: c for a, c in zip(arts, found, strict=True)}, {a.id: [vocab[k] for k in b] for a, b in zip(arts, blocks, strict=True)})


def group(articles: Sequence[Article], threshold: float = THRESHOLD, update: bool = False, window_days: int = WINDOW_DAYS) -> list[list[Article]]:
    """Articles grouped into stories; with ``update`` the stories they are in already stay as they are.

    Only originals are grouped; a near-duplicate copy joins its original's story.
    """
    return group_kept(articles, threshold, update, window_days).groups


def join_new(
    new: Sequence[Article], members: Sequence[Article], found: Mapping[str, Counter], df: Mapping[str, int], n_docs: int,
    candidates: Sequence[tuple[str, str]], threshold: float = THRESHOLD, lead_weight: float = LEAD_WEIGHT,
) -> list[list[Article]]:
    """An update: new originals join the stories of ``members`` (every original of each story a
    candidate is in) or open their own, by the rebuild's criterion. ``found``: term counts of all of
    them, weighed by the corpus's ``df`` over ``n_docs``; ``candidates``: the id pairs blocking lets
    through. Returns the groups that hold a new article."""
    arts = sorted([*new, *members], key=lambda a: a.id)
    at = {a.id: k for k, a in enumerate(arts)}
    vectors, _ = weigh([found[a.id] for a in arts], df, n_docs)
    leads = _leads(arts, lead_weight)
    others: dict[int, list[int]] = defaultdict(list)  # a new article -> the candidates it is compared with
    for a, b in candidates:
        if a in at and b in at:
            others[at[a]].append(at[b])
    pairs: dict[tuple[int, int], float] = {}
    rows = sorted(others)
    for s in range(0, len(rows), NEW_CHUNK):  # one sparse product per chunk of new articles, not one row pair at a time
        chunk = rows[s : s + NEW_CHUNK]
        sims = (vectors[chunk] @ vectors.T).toarray()
        for r, i in enumerate(chunk):
            j = np.asarray(others[i])
            v = blend(sims[r, j], leads[j] @ leads[i] if leads is not None else None, lead_weight)
            pairs.update(((min(i, int(b)), max(i, int(b))), float(x)) for b, x in zip(j, v, strict=True) if x > 0)
    fresh = {a.id for a in new}
    return [g for g in group_pairs(arts, pairs, threshold, update=True) if any(a.id in fresh for a in g)]


def split_copies(articles: Sequence[Article]) -> tuple[list[Article], list[Article]]:
    """(originals, near-duplicate copies whose original is among the articles)."""
    ids = {a.id for a in articles}
    copies = [a for a in articles if a.duplicate_of in ids]
    return [a for a in articles if a.duplicate_of not in ids], copies


def add_copies(groups: list[list[Article]], copies: Sequence[Article]) -> list[list[Article]]:
    """Each copy joins its original's story."""
    home = {a.id: g for g in groups for a in g}
    for a in sorted(copies, key=lambda a: a.id):
        home[a.duplicate_of].append(a)  # type: ignore[index]
    return groups


def group_pairs(arts: Sequence[Article], pairs: dict[tuple[int, int], float], threshold: float, update: bool = False) -> list[list[Article]]:
    frozen: list[list[int]] = []
    if update:
        by_story: dict[str, list[int]] = defaultdict(list)
        for k, a in enumerate(arts):
            if a.story is not None:
                by_story[a.story].append(k)
        frozen = [by_story[s] for s in sorted(by_story)]
    groups = average_linkage([a.id for a in arts], pairs, threshold, frozen)
    kept = {k for g in frozen for k in g}
    out: list[list[int]] = []
    for g in groups:
        out.extend([g] if kept & set(g) else (h for part in split_events([arts[k] for k in g], g) for h in split_events([arts[k] for k in part], part)))
    return [[arts[k] for k in g] for g in out]


def split_events(members: Sequence[Article], index: list[int]) -> list[list[int]]:
    """A group of two events of one kind, split in two: with term weights computed inside the group
    (what all its articles share weighs nothing), average linkage down to two parts; kept when both
    hold ``SPLIT_MIN // 2`` articles or more and the two parts are much less alike across than
    within (mean cross similarity < ``SPLIT_RATIO`` x mean within)."""
    if len(members) < SPLIT_MIN or len(members) > SPLIT_MAX:
        return [index]
    v = article_vectors([a.text for a in members])
    sim = (v @ v.T).toarray()
    n = len(members)
    pairs = {(i, j): float(sim[i, j]) for i in range(n) for j in range(i + 1, n)}
    ids = [a.id for a in members]
    for t in np.linspace(0.02, 0.9, 45):
        parts = average_linkage(ids, pairs, float(t))
        if len(parts) >= 2:
            break
    if len(parts) != 2 or min(len(p) for p in parts) < SPLIT_MIN // 2:
        return [index]
    a, b = parts
    within = np.mean([sim[i, j] for p in parts for i in p for j in p if i < j])
    cross = np.mean([sim[i, j] for i in a for j in b])
    return [[index[k] for k in a], [index[k] for k in b]] if cross < SPLIT_RATIO * within else [index]


def name_stories(groups: Sequence[Sequence[Article]], previous: dict[str, str]) -> list[str]:
    """A story id for each group: the previous id it overlaps most (each used once), else a new one."""
    overlap: list[tuple[int, str, int]] = []
    for g, members in enumerate(groups):
        counts: dict[str, int] = defaultdict(int)
        for a in members:
            if a.id in previous:
                counts[previous[a.id]] += 1
        overlap.extend((-c, sid, g) for sid, c in counts.items())
    names: dict[int, str] = {}
    used: set[str] = set()
    for _, sid, g in sorted(overlap):
        if g not in names and sid not in used:
            names[g] = sid
            used.add(sid)
    out = []
    for g, members in enumerate(groups):
        if g not in names:
            first = min(members, key=_first_key)
            n = 0
            while (sid := "s-" + hashlib.sha1(f"{first.id}#{n}".encode()).hexdigest()[:10]) in used:
                n += 1
            names[g] = sid
            used.add(sid)
        out.append(names[g])
    return out


def title(members: Sequence[Article]) -> str:
    """The first article's title, else its first line (cut to 120 characters)."""
    first = min(members, key=_first_key)
    if first.title:
        return first.title
    line = next((ln.strip() for ln in first.text.splitlines() if ln.strip()), "")
    return line if len(line) <= 120 else line[:117].rstrip() + "…"
