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

A store's build (``sayso.corpus.build``) places its articles in feed order, a chunk at a time:
``join_stories`` groups a chunk's new originals with each other (blocked pairs, as above) and
with the stories already made, each of which is one item whose similarity to an article is the sum
of its members' cosines (the dot product with its stored centroid), so the average is exactly the
one average linkage would compute over all its members, without reading them. An update is one
more chunk; a rebuild of a store of one chunk is ``group``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from sayso.corpus.linkage import average_linkage
from sayso.corpus.vectors import article_vectors

THRESHOLD = 0.125  # chosen by leave-topics-out cross-validation on ECB+ (sayso eval stories)
LEAD_WEIGHT = 0.0  # leave-topics-out folds on ECB+ chose 0 in four of five (sayso eval stories): leads of two events of one kind read alike
LEAD_CHARS = 600  # about the first three sentences; the model reads at most 128 word pieces of it
WINDOW_DAYS = 21
WINDOW_ARTICLES = 60_000  # undated: a story is a candidate while its last original is among this many placed before (3 weeks of a 3,000-a-day feed)
TOP_TERMS = 30
PAIR_CHUNK = 20000
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
    arts: Sequence[Article],
    vectors: sp.csr_matrix,
    window_days: int = WINDOW_DAYS,
    lead_weight: float = LEAD_WEIGHT,
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
        (
            np.ones(sum(len(c) for c in blocks)),
            ([r for r, c in enumerate(blocks) for _ in c], [x for c in blocks for x in c]),
        ),
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


def group(
    articles: Sequence[Article], threshold: float = THRESHOLD, update: bool = False, window_days: int = WINDOW_DAYS
) -> list[list[Article]]:
    """Articles grouped into stories, weighed by their own document frequencies; with ``update`` the
    stories they are in already (``Article.story``) stay as they are. Only originals are grouped; a
    near-duplicate copy joins its original's story. (A store's build places its articles in feed
    order, chunk by chunk, with ``join_stories``; for one chunk that is this.)"""
    originals, copies = split_copies(articles)
    arts = sorted(originals, key=lambda a: a.id)
    pairs = candidate_pairs(arts, article_vectors([a.text for a in arts]), window_days) if arts else {}
    return add_copies(group_pairs(arts, pairs, threshold, update), copies)


def join_stories(
    arts: Sequence[Article],
    vectors: sp.csr_matrix,
    blocks: list[list[int]],
    story_sums: Mapping[tuple[int, str], float],
    story_sizes: Mapping[str, int],
    threshold: float = THRESHOLD,
    window_days: int = WINDOW_DAYS,
) -> list[tuple[list[Article], str | None]]:
    """New originals (``arts`` in id order, a row of ``vectors`` and of ``blocks`` each) placed among
    the stories kept in the store: each joins one or they open their own, by average linkage as a
    rebuild groups. A story is one item of ``story_sizes[s]`` originals whose similarity to article
    ``i`` is ``story_sums[(i, s)]``, the sum of its members' cosines (its centroid's dot product:
    ``state.story_sums``). Returns each group of new articles with the story it joined, or None."""
    n = len(arts)
    kept = sorted(story_sizes)
    pairs = candidate_pairs(arts, vectors, window_days, blocks=blocks)
    at = {sid: n + k for k, sid in enumerate(kept)}
    pairs.update(((i, at[sid]), s) for (i, sid), s in story_sums.items() if s > 0 and sid in at)
    ids = [a.id for a in arts] + ["\uffff" + sid for sid in kept]  # ties favour articles' own labels
    groups = average_linkage(
        ids, pairs, threshold, [[at[sid]] for sid in kept], [1] * n + [story_sizes[sid] for sid in kept]
    )
    out: list[tuple[list[Article], str | None]] = []
    for g in groups:
        joined = [kept[k - n] for k in g if k >= n]
        members = [k for k in g if k < n]
        if joined:
            if members:
                out.append(([arts[k] for k in members], joined[0]))
        else:
            out.extend(([arts[k] for k in part], None) for part in _split(arts, members))
    return out


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


def group_pairs(
    arts: Sequence[Article], pairs: dict[tuple[int, int], float], threshold: float, update: bool = False
) -> list[list[Article]]:
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
        out.extend([g] if kept & set(g) else _split(arts, g))
    return [[arts[k] for k in g] for g in out]


def _split(arts: Sequence[Article], g: list[int]) -> list[list[int]]:
    """A new group split into its events (``split_events``, applied twice: a part may hold two more)."""
    return [h for part in split_events([arts[k] for k in g], g) for h in split_events([arts[k] for k in part], part)]


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


def name_stories(
    groups: Sequence[Sequence[Article]], previous: dict[str, str], used: set[str] | None = None
) -> list[str]:
    """A story id for each group: the previous id it overlaps most (each used once), else a new one.
    ``used``: ids given already (never given again); it gains the ones given here."""
    overlap: list[tuple[int, str, int]] = []
    for g, members in enumerate(groups):
        counts: dict[str, int] = defaultdict(int)
        for a in members:
            if a.id in previous:
                counts[previous[a.id]] += 1
        overlap.extend((-c, sid, g) for sid, c in counts.items())
    names: dict[int, str] = {}
    used = set() if used is None else used
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
