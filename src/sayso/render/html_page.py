"""One standalone HTML page of a report: sentences tinted by status, sources and cues marked,
a hover naming the source. Every piece of article text goes through ``text``: HTML-escaped, and
bidi controls shown as visible codes so that an unterminated override cannot reorder what follows
(``sayso.render.safe``); each sentence is also isolated (``unicode-bidi: isolate``)."""

from __future__ import annotations

from html import escape

from sayso.render.safe import visible_bidi
from sayso.render.timeline import content_text, entries, source_name
from sayso.report_model import Report

STYLE = """
body{font:16px/1.6 Georgia,serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem} .meta{color:#666;font-size:.9rem}
.s{padding:1px 0;unicode-bidi:isolate} td{unicode-bidi:isolate}
.attributed{background:#e3f4e1} .anonymous{background:#fff3c4}
.debris{color:#999} .hedged{background:#f6e0f3} .asserted{background:transparent} .evaluative{border-bottom:2px dotted #c60}
.src{font-weight:bold;color:#075} .cue{text-decoration:underline 2px #333} .content{font-style:italic}
.chan{color:#05a} .k-hedge,.k-weasel,.k-prediction{color:#909} .k-anonymous,.k-undisclosed{color:#a60}
.k-evaluative{color:#c60}
table{border-collapse:collapse;margin:1rem 0;font:14px sans-serif} td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
.legend span{padding:0 .4rem;margin-right:.3rem}
"""

Mark = tuple[int, int, str, str]  # start, end, css class, hover text


def text(value: object) -> str:
    """Any text from the article or its metadata, safe in element content and attribute values."""
    return escape(visible_bidi(str(value)))


def _marks(report: Report) -> list[Mark]:
    """Everything the page highlights."""
    marks = []
    for a in report.attributions:
        who = source_name(report, a)
        if a.source:
            marks.append((a.source.start, a.source.end, "src", f"source: {who}"))
        marks.append((a.cue.start, a.cue.end, "cue", f"{a.kind} attribution to {who}"))
        for c in a.content:
            marks.append((c.start, c.end, "content", f"said by {who}"))
        if a.channel:
            marks.append((a.channel.start, a.channel.end, "chan", f"channel of {who}"))
    for s in report.sentences:
        for cue in s.cues:
            marks.append((cue.start, cue.end, f"k-{cue.kind}", f"{cue.kind} cue"))
    return marks


def _sentence_html(article: str, start: int, end: int, marks: list[Mark]) -> str:
    inside = [m for m in marks if m[0] < end and start < m[1]]
    cuts = sorted({start, end, *(max(start, m[0]) for m in inside), *(min(end, m[1]) for m in inside)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        on = [m for m in inside if m[0] <= a and b <= m[1]]
        piece = text(article[a:b])
        if on:
            classes = " ".join(sorted({m[2] for m in on}))
            title = "; ".join(dict.fromkeys(m[3] for m in on))
            out.append(f'<span class="{escape(classes)}" title="{text(title)}">{piece}</span>')
        else:
            out.append(piece)
    return "".join(out)


def render(report: Report) -> str:
    article = report.text
    marks = _marks(report)
    body = []
    pos = 0
    for i, s in enumerate(report.sentences):
        body.append(text(article[pos : s.start]).replace("\n", "<br>\n"))
        classes = ("s debris" if s.debris else f"s {s.status}") + (" evaluative" if s.evaluative else "")
        hover = "page debris, not the article" if s.debris else s.status + (", evaluative" if s.evaluative else "")
        if s.cues:
            hover += ": " + ", ".join(f"{c.kind} “{c.text}”" for c in s.cues)
        body.append(f'<span class="{classes}" id="s{i}" title="{text(hover)}">{_sentence_html(article, s.start, s.end, marks)}</span>')
        pos = s.end
    body.append(text(article[pos:]).replace("\n", "<br>\n"))
    meta = report.meta
    title = meta.title or report.id
    info = " · ".join(text(v) for v in (meta.outlet, meta.author, meta.published, meta.url) if v)
    counts = report.profile.counts.model_dump()
    legend = " ".join(f'<span class="{k}">{k} {v}</span>' for k, v in counts.items())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>sayso — {text(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{text(title)}</h1><p class='meta'>{info}</p>",
        f"<p class='legend'>{legend} <span class='evaluative'>evaluative {report.profile.evaluative}</span></p>",
        f"<article>{''.join(body)}</article>",
        _sources_table(report),
        _timeline(report),
        _integrity(report),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


def _table(caption: str, header: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    cells = "".join("<tr>" + "".join(f"<td>{text(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<h2>{escape(caption)}</h2><table><tr>{head}</tr>{cells}</table>"


def _sources_table(report: Report) -> str:
    rows = [
        [str(a.sentence + 1), source_name(report, a), a.cue.text, a.kind, content_text(a), a.channel.text if a.channel else ""]
        for a in report.attributions
    ]
    return _table("Who says what", ["#", "source", "cue", "kind", "content", "channel"], rows)


def _timeline(report: Report) -> str:
    rows = [[e.time, e.source, f"{e.cue}: {e.said}"] for e in entries(report)]
    return _table("Timeline", ["when", "who", "said"], rows)


def _integrity(report: Report) -> str:
    rows = [[f.kind, repr(f.text), str(f.start), f.suggestion] for f in report.integrity]
    return _table("Text integrity", ["kind", "found", "at", "suggestion"], rows)
