"""Turns the network's outputs for one sentence into per-word predictions (numpy only)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def sigmoid(x: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def first_pieces(word_ids: Sequence[int | None], n_words: int) -> list[int | None]:
    """For each word, the position of its first piece (None for words cut off by truncation)."""
    first: list[int | None] = [None] * n_words
    for pos, w in enumerate(word_ids):
        if w is not None and first[w] is None:
            first[w] = pos
    return first


def word_tags(tag_logits: np.ndarray, first: list[int | None], labels: Sequence[str]) -> list[str]:
    """One BIO label a word, read at its first piece (O for words cut off): the most probable
    sequence in which every I- continues a span of its kind (the head scores each piece alone, and
    one stray label would break a long span in two)."""
    kept = [(k, pos) for k, pos in enumerate(first) if pos is not None]
    out = ["O"] * len(first)
    if kept:
        rows = np.asarray(tag_logits, dtype=np.float64)[[pos for _, pos in kept]]
        for (k, _), tag in zip(kept, viterbi(rows, labels), strict=True):
            out[k] = tag
    return repair(out)


def viterbi(logits: np.ndarray, labels: Sequence[str]) -> list[str]:
    """The best BIO sequence under the per-position log-softmax of ``logits`` [n, labels]."""
    logp = logits - logits.max(1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(1, keepdims=True))
    n_labels = len(labels)
    # allowed[a, b]: label b may follow label a (I-x only after B-x or I-x)
    allowed = np.array([[not labels[b].startswith("I-") or labels[a][2:] == labels[b][2:] for b in range(n_labels)] for a in range(n_labels)])
    start_ok = np.array([not lab.startswith("I-") for lab in labels])
    trans = np.where(allowed, 0.0, -np.inf)
    score = np.where(start_ok, logp[0], -np.inf)
    back = np.zeros((len(logp), n_labels), dtype=np.int64)
    for t in range(1, len(logp)):
        cand = score[:, None] + trans
        back[t] = cand.argmax(0)
        score = cand.max(0) + logp[t]
    path = [int(score.argmax())]
    for t in range(len(logp) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return [labels[k] for k in reversed(path)]


def repair(tags: Sequence[str]) -> list[str]:
    """An I- that does not continue a span of its kind becomes B- (the head is trained per piece,
    not as a sequence)."""
    out: list[str] = []
    for tag in tags:
        if tag.startswith("I-") and (not out or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def word_scores(piece_logits: np.ndarray, word_ids: Sequence[int | None], n_words: int) -> list[float]:
    """Per word, the probability its most uncertain piece gives (0.0 for words cut off)."""
    best = np.full(n_words, -np.inf)
    for pos, w in enumerate(word_ids):
        if w is not None:
            best[w] = max(best[w], float(piece_logits[pos]))
    return [float(p) if np.isfinite(b) else 0.0 for p, b in zip(sigmoid(best), best, strict=True)]


def chunks(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(kind, first word, end word) of every BIO span."""
    out: list[tuple[str, int, int]] = []
    cur: tuple[str, int] | None = None
    for i, tag in enumerate([*tags, "O"]):
        kind = tag[2:] if tag != "O" else None
        if cur and (tag == "O" or tag.startswith("B-") or kind != cur[0]):
            out.append((cur[0], cur[1], i))
            cur = None
        if kind and (tag.startswith("B-") or cur is None):
            cur = (kind, i)
    return out


def windows(piece_counts: Sequence[int], max_pieces: int) -> list[list[int]]:
    """Neighbouring sentences packed into windows of at most ``max_pieces`` pieces ([CLS] and [SEP]
    included), in order, so that a sentence is read with its neighbours (a quotation's source is
    often in the next sentence). A sentence too long for a window gets one of its own (and is cut).
    Training and the runtime both pack with this (and ``window_input``), so the model reads at run
    time what it learnt on."""
    out: list[list[int]] = []
    used = 0
    for i, n in enumerate(piece_counts):
        if out and used + n <= max_pieces - 2:
            out[-1].append(i)
            used += n
        else:
            out.append([i])
            used = n
    return out


def window_input(parts: Sequence[tuple[Sequence[int], Sequence[int | None], int]], cls: int, sep: int, max_pieces: int) -> tuple[list[int], list[int | None], list[int]]:
    """One window's network input from its sentences, each given as (piece ids without [CLS] and
    [SEP], the word of each piece, number of words): piece ids, the window-wide word of each piece,
    and the first word of each sentence. Cut at ``max_pieces`` (the words past it get no piece)."""
    ids: list[int] = [cls]
    word_ids: list[int | None] = [None]
    starts: list[int] = []
    n = 0
    for piece_ids, piece_words, n_words in parts:
        starts.append(n)
        ids += piece_ids
        word_ids += [None if w is None else w + n for w in piece_words]
        n += n_words
    return ids[: max_pieces - 1] + [sep], word_ids[: max_pieces - 1] + [None], starts
