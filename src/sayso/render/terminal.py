"""The terminal summary of a report (Rich).

Text from the article or its metadata reaches Rich only as ``Text`` objects made by ``plain``:
never parsed as markup (``[bold]`` stays literal, ``[/b]`` cannot break the output) and without
terminal control sequences (``sayso.render.safe``).
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sayso.render.safe import for_terminal
from sayso.render.timeline import content_text, entries, source_name
from sayso.report_model import Report

STATUS_STYLE = {"attributed": "green", "anonymous": "yellow", "hedged": "magenta", "asserted": "blue"}
BAR_WIDTH = 50


def plain(text: str, style: str = "") -> Text:
    """Article text as Rich shows it: literally, control characters removed."""
    return Text(for_terminal(text), style=style)


def profile_bar(report: Report) -> Text:
    profile = report.profile
    counts = profile.counts.model_dump()
    total = sum(counts.values()) or 1
    bar = Text()
    for status, style in STATUS_STYLE.items():
        bar.append("█" * round(BAR_WIDTH * counts[status] / total), style=style)
    bar.append("\n")
    for status, style in STATUS_STYLE.items():
        bar.append(f"■ {status} {counts[status]}  ", style=style)
    bar.append(f"evaluative {profile.evaluative}  claims {profile.claims}")
    return bar


def sources_table(report: Report) -> Table:
    table = Table(title="Who says what", show_lines=False, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("source")
    table.add_column("role")
    table.add_column("cue", style="bold")
    table.add_column("said / about")
    table.add_column("via")
    roles = {e.id: ", ".join(e.roles) for e in report.entities}
    for a in report.attributions:
        entity = a.source.entity if a.source else None
        content = content_text(a)
        table.add_row(
            str(a.sentence + 1),
            plain(source_name(report, a)),
            plain(roles.get(entity or "", "")),
            plain(a.cue.text),
            plain(content if a.kind != "topic" else f"(topic) {content}"),
            plain(a.channel.text if a.channel else ""),
        )
    return table


def flagged(report: Report) -> Table:
    table = Table(title="Sentences in the outlet's own voice that need a second look", expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("status")
    table.add_column("cues")
    table.add_column("sentence")
    for i, s in enumerate(report.sentences):
        if s.status in ("hedged", "anonymous") or s.evaluative:
            cues = ", ".join(f"{c.kind}: {c.text}" for c in s.cues)
            status = s.status + (" · evaluative" if s.evaluative else "")
            table.add_row(str(i + 1), Text(status, style=STATUS_STYLE[s.status]), plain(cues), plain(report.sentence_text(i).strip()))
    return table


def integrity_table(report: Report) -> Table:
    table = Table(title="Text integrity", expand=True)
    for col in ("kind", "found", "at", "suggestion"):
        table.add_column(col)
    for f in report.integrity:
        table.add_row(f.kind, plain(repr(f.text)), str(f.start), plain(f.suggestion))
    return table


def timeline_table(report: Report) -> Table:
    table = Table(title="Timeline", expand=True)
    for col in ("when", "who", "said"):
        table.add_column(col)
    for e in entries(report):
        table.add_row(plain(e.time), plain(e.source), plain(f"{e.cue}: {e.said}"))
    return table


def renderables(report: Report) -> list[Any]:
    meta = report.meta
    head = " · ".join(str(v) for v in (meta.title, meta.outlet, meta.published) if v) or report.id
    title = Text("sayso — ") + plain(head)
    parts: list[Any] = [Panel(profile_bar(report), title=title, subtitle=f"named-source share {report.profile.named_share:.0%}")]
    if report.attributions:
        parts.append(sources_table(report))
    else:
        parts.append(Text("No attributed statements found: nothing here rests on a source.", style="yellow"))
    parts.append(flagged(report))
    if entries(report):
        parts.append(timeline_table(report))
    if report.integrity:
        parts.append(integrity_table(report))
    return parts


def show(report: Report, console: Console | None = None) -> None:
    (console or Console()).print(Group(*renderables(report)))


def to_text(report: Report, width: int = 120) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    show(report, console)
    return console.export_text()
