"""The terminal summary of a report (Rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sayso.render.timeline import entries, source_name

STATUS_STYLE = {"attributed": "green", "anonymous": "yellow", "hedged": "magenta", "asserted": "blue"}
BAR_WIDTH = 50


def profile_bar(report: dict[str, Any]) -> Text:
    counts = report["profile"]["counts"]
    total = sum(counts.values()) or 1
    bar = Text()
    for status, style in STATUS_STYLE.items():
        bar.append("█" * round(BAR_WIDTH * counts.get(status, 0) / total), style=style)
    bar.append("\n")
    for status, style in STATUS_STYLE.items():
        bar.append(f"■ {status} {counts.get(status, 0)}  ", style=style)
    bar.append(f"evaluative {report['profile']['evaluative']}  claims {report['profile']['claims']}")
    return bar


def sources_table(report: dict[str, Any]) -> Table:
    table = Table(title="Who says what", show_lines=False, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("source")
    table.add_column("role")
    table.add_column("cue", style="bold")
    table.add_column("said / about")
    table.add_column("via")
    roles = {e["id"]: ", ".join(e["roles"]) for e in report["entities"]}
    for a in report["attributions"]:
        src = a.get("source") or {}
        content = " … ".join(c["text"] for c in a["content"])
        table.add_row(
            str(a["sentence"] + 1),
            source_name(report, a),
            roles.get(src.get("entity") or "", ""),
            a["cue"]["text"],
            content if a["kind"] != "topic" else f"(topic) {content}",
            (a.get("channel") or {}).get("text", ""),
        )
    return table


def flagged(report: dict[str, Any]) -> Table:
    table = Table(title="Sentences in the outlet's own voice that need a second look", expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("status")
    table.add_column("cues")
    table.add_column("sentence")
    text = report["text"]
    for i, s in enumerate(report["sentences"]):
        if s["status"] in ("hedged", "anonymous") or s["evaluative"]:
            cues = ", ".join(f"{c['kind']}: {c['text']}" for c in s["cues"])
            status = s["status"] + (" · evaluative" if s["evaluative"] else "")
            table.add_row(str(i + 1), Text(status, style=STATUS_STYLE[s["status"]]), cues, text[s["start"] : s["end"]].strip())
    return table


def integrity_table(report: dict[str, Any]) -> Table:
    table = Table(title="Text integrity", expand=True)
    for col in ("kind", "found", "at", "suggestion"):
        table.add_column(col)
    for f in report["integrity"]:
        table.add_row(f["kind"], repr(f["text"]), str(f["start"]), f["suggestion"])
    return table


def timeline_table(report: dict[str, Any]) -> Table:
    table = Table(title="Timeline", expand=True)
    for col in ("when", "who", "said"):
        table.add_column(col)
    for e in entries(report):
        table.add_row(e["time"], e["source"], f"{e['cue']}: {e['said']}")
    return table


def renderables(report: dict[str, Any]) -> list[Any]:
    meta = report["meta"]
    head = " · ".join(str(meta[k]) for k in ("title", "outlet", "published") if meta.get(k)) or report["id"]
    parts: list[Any] = [Panel(profile_bar(report), title=f"sayso — {head}", subtitle=f"named-source share {report['profile']['named_share']:.0%}")]
    if report["attributions"]:
        parts.append(sources_table(report))
    else:
        parts.append(Text("No attributed statements found: nothing here rests on a source.", style="yellow"))
    parts.append(flagged(report))
    if entries(report):
        parts.append(timeline_table(report))
    if report["integrity"]:
        parts.append(integrity_table(report))
    return parts


def show(report: dict[str, Any], console: Console | None = None) -> None:
    (console or Console()).print(Group(*renderables(report)))


def to_text(report: dict[str, Any], width: int = 120) -> str:
    console = Console(width=width, record=True, file=open_null(), color_system=None)
    show(report, console)
    return console.export_text()


def open_null() -> Any:
    import io

    return io.StringIO()
