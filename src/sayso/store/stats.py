"""Ready-made reports over a store: who is quoted most, who leaves most unsourced, anonymity over time."""

from __future__ import annotations

REPORTS: dict[str, tuple[str, str]] = {
    "sources": (
        "Sources quoted most",
        """
        SELECT source_name AS source, count(*) AS attributions, count(DISTINCT article_id) AS articles
        FROM attributions
        WHERE source_name IS NOT NULL
        GROUP BY source_name
        ORDER BY attributions DESC, articles DESC, source
        LIMIT {limit}
        """,
    ),
    "outlets": (
        "Outlets by share of unsourced sentences (asserted or hedged in the outlet's own voice)",
        """
        SELECT coalesce(outlet, '(unknown)') AS outlet, count(*) AS articles, sum(sentences) AS sentences,
               round(sum(asserted + hedged) / nullif(sum(sentences), 0), 3) AS unsourced_share,
               round(sum(anonymous) / nullif(sum(sentences), 0), 3) AS anonymous_share
        FROM articles
        GROUP BY 1
        ORDER BY unsourced_share DESC NULLS LAST, articles DESC
        LIMIT {limit}
        """,
    ),
    "anonymous": (
        "Anonymous sourcing over time (by month of publication)",
        """
        SELECT coalesce(strftime(date_trunc('month', published), '%Y-%m'), '(undated)') AS month,
               count(*) AS articles, sum(anonymous) AS anonymous_sentences,
               round(sum(anonymous) / nullif(sum(sentences), 0), 3) AS anonymous_share,
               round(sum(attributed) / nullif(sum(sentences), 0), 3) AS named_share
        FROM articles
        GROUP BY 1
        ORDER BY 1
        """,
    ),
}
