"""Average-linkage clustering over a sparse similarity graph, independent of input order.

Only pairs that share something are in the graph (the caller blocks), so the cost follows the
number of candidate pairs, not the square of the corpus. Missing pairs count as similarity 0 in
the average. Groups given as ``frozen`` (stories already in the store) never merge with each
other; new items join them or form groups of their own: the online case, by the same criterion.
An item may stand for several (``sizes``: a stored story, whose similarity to another item is the
sum over its members, so the average is the one its members would give).
Ties are broken by item ids, so the same items give the same groups in any order.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence


def root(parent: list[int], i: int) -> int:
    """Union-find: the representative of ``i`` (paths halved on the way)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def average_linkage(
    ids: Sequence[str],
    pairs: dict[tuple[int, int], float],
    threshold: float,
    frozen: Sequence[Sequence[int]] = (),
    sizes: Sequence[int] | None = None,
) -> list[list[int]]:
    """Groups of item indices whose average pairwise similarity stays at or above ``threshold``."""
    n = len(ids)
    owner = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    size: dict[int, int] = {i: sizes[i] if sizes is not None else 1 for i in range(n)}
    is_frozen: dict[int, bool] = {i: False for i in range(n)}
    for group in frozen:
        group = sorted(group)
        if not group:
            continue
        root = group[0]
        for i in group[1:]:
            owner[i] = root
            members[root].append(i)
            size[root] += size.pop(i)
            del members[i]
        is_frozen[root] = True
    label = {c: min(ids[i] for i in m) for c, m in members.items()}
    sums: dict[int, dict[int, float]] = {c: {} for c in members}
    for (i, j), s in pairs.items():
        a, b = owner[i], owner[j]
        if a != b and s > 0:
            sums[a][b] = sums[a].get(b, 0.0) + s
            sums[b][a] = sums[b].get(a, 0.0) + s
    heap: list[tuple[float, str, str, int, int]] = []

    def push(a: int, b: int) -> None:
        if is_frozen[a] and is_frozen[b]:
            return
        avg = sums[a][b] / (size[a] * size[b])
        if avg >= threshold:
            x, y = (a, b) if label[a] <= label[b] else (b, a)
            heapq.heappush(heap, (-avg, label[x], label[y], x, y))

    for a in sorted(sums):
        for b in sums[a]:
            if a < b:
                push(a, b)
    while heap:
        neg, _, _, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in sums[a]:
            continue
        if abs(sums[a][b] / (size[a] * size[b]) + neg) > 1e-12:
            continue  # stale entry: a or b grew since it was pushed
        keep, gone = (a, b) if (is_frozen[a], -size[a], label[a]) <= (is_frozen[b], -size[b], label[b]) else (b, a)
        if is_frozen[gone]:
            keep, gone = gone, keep
        members[keep].extend(members.pop(gone))
        size[keep] += size.pop(gone)
        label[keep] = min(label[keep], label.pop(gone))
        is_frozen[keep] = is_frozen[keep] or is_frozen.pop(gone)
        for c, s in sums.pop(gone).items():
            if c == keep:
                continue
            del sums[c][gone]
            sums[keep][c] = sums[keep].get(c, 0.0) + s
            sums[c][keep] = sums[keep][c]
        sums[keep].pop(gone, None)
        for c in sorted(sums[keep]):
            push(keep, c)
    return sorted((sorted(m) for m in members.values()), key=lambda m: ids[m[0]])
