"""`sayso stories`, `sayso drift` and their evaluations: the commands over a store's articles."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import typer

FORMATS = ("text", "json")


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"sayso: error: {message}", err=True)
    raise typer.Exit(code)


def _open(database: Path, format: str) -> Any:
    import duckdb

    from sayso.store.database import open_waiting

    if format not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}")
    if not database.is_file():
        _fail(f"no such database: {database}")
    try:
        return open_waiting(database)
    except duckdb.Error as err:
        _fail(f"cannot open {database}: {err}")


@contextlib.contextmanager
def _embedding_bar() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr (a terminal only) for the articles the corpus layer places and the
    texts it embeds."""
    from sayso.batch.run import progress_bar

    bar = progress_bar(sys.stderr.isatty())
    with bar:
        task = bar.add_task("corpus", total=None, visible=False)

        def follow(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=True)

        yield follow


def _emit(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def update_corpus(database: Path, progress: bool = True) -> str:
    """Bring a store's corpus layer up to date after a batch (``sayso batch --db STORE --corpus``):
    what `sayso stories --update` and `sayso drift` do, in one step; returns a one-line summary."""
    import duckdb

    from sayso.corpus import build, crossclaims
    from sayso.store import corpus as store

    con = _open(database, "text")
    try:
        store.ensure_schema(con)  # a store new to the corpus layer gets its columns: every article is new
        new = con.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0]
        with _embedding_bar() if progress else contextlib.nullcontext(None) as follow:
            rows = build.ensure(con, progress=follow)
            crossclaims.link(con, progress=follow, pending=True)
            changes = crossclaims.count_changes(con)
    except (ValueError, duckdb.Error) as err:
        _fail(str(err))
    finally:
        con.close()
    return f"corpus: {new} new articles placed; {len(rows)} stories, {changes} hardened or softened claim links"


def stories(
    database: Path = typer.Argument(..., help="A DuckDB file written by `sayso batch --db`."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    update: bool = typer.Option(False, "--update", help="Keep the stories there are; only new articles join one or open one."),
) -> None:
    """Group the store's articles into stories (rebuilds; ids kept across rebuilds)."""
    import duckdb

    from sayso.corpus import build

    con = _open(database, format)
    try:
        with _embedding_bar() as follow:
            rows = build.ensure(con, rebuild=not update, progress=follow)
    except (ValueError, duckdb.Error) as err:
        _fail(str(err))
        return
    finally:
        con.close()
    if format == "json":
        _emit(rows)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("story", "articles", "title", title=f"{len(rows)} stories")
    for r in rows:
        table.add_row(Text(r["story"]), Text(str(len(r["articles"]))), Text(r["title"] or ""))
    Console().print(table)


def drift(
    database: Path = typer.Argument(..., help="A DuckDB file written by `sayso batch --db`."),
    format: str = typer.Option("text", "--format", "-f", help="text (side by side) or json."),
    all: bool = typer.Option(False, "--all", help="Every claim link, not only the hardened and softened ones."),
) -> None:
    """Claims linked across the articles of each story, and where a hedge was dropped or added."""
    import duckdb

    from sayso.corpus import build, crossclaims, state

    con = _open(database, format)
    try:
        with _embedding_bar() as follow:
            build.ensure(con, progress=follow)  # nothing new: no corpus work
            links = crossclaims.build(con, progress=follow, pending=True, changes_only=not all)  # only the stories that gained articles
        texts: dict[str, str] = {}
        spans: dict[tuple[str, int], tuple[int, int]] = {}
        if format == "text":  # the texts and sentence spans of the articles shown alone
            state.register_ids(con, "shown_ids", {x[k]["article"] for x in links for k in ("from", "to")})
            texts = dict(con.execute("SELECT id, text FROM articles WHERE id IN (SELECT id FROM shown_ids)").fetchall())
            spans = {
                (a, s): (b, e)
                for a, s, b, e in con.execute(
                    'SELECT article_id, sentence, start, "end" FROM sentences WHERE article_id IN (SELECT id FROM shown_ids)'
                ).fetchall()
            }
    except (ValueError, duckdb.Error) as err:
        _fail(str(err))
        return
    finally:
        con.close()
    shown = [x for x in links if all or x["change"] != "same"]
    if format == "json":
        _emit([{k: x[k] for k in ("from", "to", "change", "why")} for x in shown])
        return
    from sayso.render.drift import show

    show(shown, texts, spans)


def eval_stories(
    directory: Path = typer.Argument(..., help="ECB+ as stories: a folder with docs.jsonl."),
    db: Path | None = typer.Option(None, "--db", help="Keep the batch store here (a rerun reuses it)."),
    folds: int = typer.Option(5, "--folds", help="Leave-topics-out folds for the thresholds (0: none)."),
    shuffles: int = typer.Option(3, "--shuffles", help="Shuffled input orders to report the spread over."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Stories: B³ against the gold story (and topic), beside the capitalised-words TF-IDF baseline."""
    from sayso.eval import stories as ev

    try:
        result = ev.evaluate(directory, db, folds, shuffles)
    except (FileNotFoundError, ValueError) as err:
        _fail(str(err))
        return
    _emit(result) if as_json else typer.echo("\n".join(ev.summary(result)))


def eval_xdoc_persons(
    directory: Path = typer.Argument(..., help="ECB+ as stories: a folder with docs.jsonl and persons.jsonl."),
    db: Path | None = typer.Option(None, "--db", help="Keep the batch store here (a rerun reuses it)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One person across articles: B³ over the listed mentions, beside the same-surname baseline."""
    from sayso.eval import xdoc as ev

    try:
        result = ev.evaluate(directory, db)
    except (FileNotFoundError, ValueError) as err:
        _fail(str(err))
        return
    _emit(result) if as_json else typer.echo("\n".join(ev.summary(result)))


def eval_drift(
    path: Path = typer.Argument(..., help="Story groups with gold claim links (drift/dev.jsonl)."),
    db: Path | None = typer.Option(None, "--db", help="Keep the batch store here (a rerun reuses it)."),
    folds: int = typer.Option(0, "--folds", help="Leave-groups-out folds for the link threshold (0: none)."),
    shuffles: int = typer.Option(0, "--shuffles", help="Rerun the batch and drift on this many shuffled input orders."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Claim links and hardened/softened links: P, R, F1 against gold links."""
    from sayso.eval import drift as ev

    try:
        result = ev.evaluate(path, db, folds, shuffles)
    except (FileNotFoundError, ValueError, KeyError, json.JSONDecodeError) as err:
        _fail(f"{path}: {err}")
        return
    _emit(result) if as_json else typer.echo("\n".join(ev.summary(result)))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command()(stories)
    app.command()(drift)
    eval_app.command("stories")(eval_stories)
    eval_app.command("xdoc-persons")(eval_xdoc_persons)
    eval_app.command("drift")(eval_drift)
