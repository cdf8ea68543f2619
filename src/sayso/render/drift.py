"""Drifted claim pairs side by side in the terminal: the earlier sentence beside the later one.

Article text is printed verbatim (Rich ``Text`` objects, never parsed as markup); the claim's span
is underlined inside its sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

STYLE = {"hardened": "bold red", "softened": "bold yellow", "same": "dim"}


def _side(side: dict[str, Any], text: str, sentence: tuple[int, int] | None) -> Text:
    start, end = side["start"], side["end"]
    left, line_end = sentence if sentence else (start, end)
    left, line_end = min(left, start), max(line_end, end)
    out = Text(f"{side['article']} · sentence {side['sentence']} · {side['status']}\n", style="bold")
    out.append(text[left:start])
    out.append(text[start:end], style="underline")
    out.append(text[end:line_end])
    return out


def show(
    links: Sequence[dict[str, Any]],
    texts: dict[str, str],
    sentences: dict[tuple[str, int], tuple[int, int]],
    console: Console | None = None,
) -> None:
    """``texts``: article id -> text; ``sentences``: (article id, sentence) -> its span."""
    console = console or Console()
    if not links:
        console.print(Text("No hardened or softened claims (use --all for every link)."))
        return
    for x in links:
        table = Table(show_header=True, expand=True, title=Text(x["change"], style=STYLE.get(x["change"], "")))
        table.add_column("earlier", ratio=1)
        table.add_column("later", ratio=1)
        table.add_row(*(_side(x[k], texts.get(x[k]["article"], ""), sentences.get((x[k]["article"], x[k]["sentence"]))) for k in ("from", "to")))
        table.add_row(Text(x["why"], style="italic"), Text(""))
        console.print(table)
