"""The `sayso` command line."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from sayso.cli_corpus import register as register_corpus
from sayso.errors import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Who says so? Sources and certainty in news.")
eval_app = typer.Typer(no_args_is_help=True, help="Measure sayso on annotated data.")
app.add_typer(eval_app, name="eval")
register_corpus(app, eval_app)


class Format(StrEnum):
    text = "text"
    json = "json"
    html = "html"


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"sayso: error: {message}", err=True)
    raise typer.Exit(code)


def check_date(value: str | None) -> str | None:
    from sayso.dates import optional_date

    try:
        return optional_date(value, "--published")
    except InputError as err:
        fail(str(err))
    return None


MAX_BYTES_HELP = "Largest input accepted, in bytes (a file, a page, one batch record; default 10 MB); larger ones are refused."

TIER_HELP = "--accurate: the encoder tier (an error when its weights or runtime are missing); --fast: the fast tier."


LANGUAGE_OPT = typer.Option(
    None, "--language", help="en, fr or ru: analyse in this language (default: each article's own, detected from its text)."
)


def choose_tier(accurate: bool | None, default: str) -> str:
    """"fast" or "accurate": what the flags ask for (else ``default``); one line when it cannot run."""
    from sayso.encoder import EncoderUnavailable, tier

    try:
        return tier.resolve(default if accurate is None else ("accurate" if accurate else "fast"))
    except EncoderUnavailable as err:
        fail(str(err))
    return "fast"


def use_tier(accurate: bool | None, default: str) -> str:
    """As ``choose_tier``, and makes it this process's default tier (the evaluations analyse in-process)."""
    from sayso.encoder import tier

    chosen = choose_tier(accurate, default)
    tier.set_default(chosen)
    return chosen


ANALYZE_TIER = typer.Option(None, "--accurate/--fast", help=TIER_HELP + " Default: accurate where its weights and runtime are here, else fast with a one-line notice.")
EVAL_TIER = typer.Option(None, "--accurate/--fast", help=TIER_HELP + " Default: fast, as `sayso batch`.")


@app.command()
def analyze(
    source: str = typer.Argument(..., help="A .txt or .html file, '-' for stdin, or an http(s) URL."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text (terminal summary), json or html."),
    published: str | None = typer.Option(None, help="Publication date YYYY-MM-DD (overrides the page's)."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow URLs on loopback/private addresses."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    deadline: float = typer.Option(30.0, "--deadline", min=0.1, help="Seconds a URL fetch may take in all (every redirect, header and byte)."),
    max_bytes: int | None = typer.Option(None, "--max-bytes", min=1, help=MAX_BYTES_HELP),
    accurate: bool | None = ANALYZE_TIER,
    language: str | None = LANGUAGE_OPT,
) -> None:
    """Analyse one article."""
    from sayso import pipeline
    from sayso.analyzer import Analyzer
    from sayso.io import inputs

    tier = choose_tier(accurate, "auto")
    published = check_date(published)
    try:
        article = inputs.read(source, allow_private=allow_private, deadline_s=deadline, max_bytes=max_bytes)
        if published:
            article.meta["published"] = published
        report = Analyzer(pipeline.shared(tier=tier), language=language).report(article)
    except InputError as err:
        fail(str(err))
        return
    except Exception as err:  # noqa: BLE001 - one line, never a traceback, for any failure inside
        fail(f"internal error while analysing {source}: {type(err).__name__}: {err}", code=1)
        return
    if format is Format.json:
        out = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    elif format is Format.html:
        from sayso.render import html_page

        out = html_page.render(report)
    else:
        from sayso.render import terminal

        if output is None:
            terminal.show(report)
            return
        out = terminal.to_text(report)
    if output is not None:
        output.write_text(out + "\n", encoding="utf-8")
    else:
        sys.stdout.write(out + "\n")


@app.command()
def schema(
    write: Path | None = typer.Option(None, "--write", help="Write the schema generated from the report model to this file (src/sayso/schema.json ships it)."),
) -> None:
    """Print the JSON Schema of a report."""
    from sayso import schema as schema_mod

    if write is None:
        sys.stdout.write(schema_mod.dumps(schema_mod.load()))
        return
    try:
        schema_mod.write(write)
    except OSError as err:
        fail(f"cannot write {write}: {err.strerror or err}")
    typer.echo(f"wrote {write}")


@app.command()
def batch(
    input: Path = typer.Argument(..., help="A folder of .txt/.html(.gz), a JSONL(.gz) file or a WARC(.gz)."),
    out: Path | None = typer.Option(None, "--out", help="Write reports as JSONL here."),
    db: Path | None = typer.Option(None, "--db", help="Write normalised tables into this DuckDB file."),
    parquet: Path | None = typer.Option(None, "--parquet", help="Write Parquet tables into this folder."),
    processes: int = typer.Option(1, "--processes", "-p", min=1, help="Worker processes (local engine); workers of a local Dask cluster."),
    engine: str = typer.Option("local", "--engine", help="local or dask."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a local cluster)."),
    published: str | None = typer.Option(None, help="Publication date for records that have none."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    chunk_size: int | None = typer.Option(None, "--chunk-size", min=1, help="Records per task sent to a worker (and per Parquet part)."),
    max_bytes: int | None = typer.Option(None, "--max-bytes", min=1, help=MAX_BYTES_HELP + " A longer JSONL line is an error row."),
    accurate: bool | None = typer.Option(None, "--accurate/--fast", help=TIER_HELP + " Default: fast."),
    language: str | None = LANGUAGE_OPT,
    corpus: bool = typer.Option(
        False, "--corpus", help="Then bring the store's corpus layer up to date: the new articles join stories, corpus ids and claim links (needs --db)."
    ),
) -> None:
    """Analyse many articles; resumable. A bad record is an error row (the batch goes on, exit 0);
    errors by reason and time by stage are printed at the end and written to NAME.stats.json.
    With ``--db STORE --corpus`` this is a feed's daily step: analyse what came in, then place it."""
    from sayso.batch import run as batch_run

    chosen = choose_tier(accurate, "fast")  # a corpus run keeps the fast tier unless asked
    if out is None and db is None and parquet is None:
        fail("give --out FILE.jsonl, --db FILE.duckdb or --parquet DIR (or several)")
    if corpus and db is None:
        fail("--corpus needs --db FILE.duckdb (the store whose corpus layer it updates)")
    if not input.exists():
        fail(f"no such input: {input}")
    try:
        batch_run.main(
            input,
            out=out,
            db=db,
            parquet=parquet,
            processes=processes,
            engine=engine,
            scheduler=scheduler,
            published=check_date(published),
            progress=progress,
            chunk_size=chunk_size,
            max_bytes=max_bytes,
            tier=chosen,
            language=language,
        )
    except InputError as err:
        fail(str(err))
    if corpus and db is not None:
        from sayso.cli_corpus import update_corpus

        typer.echo(update_corpus(db, progress), err=True)


@eval_app.command("extraction")
def eval_extraction(
    directory: Path = typer.Argument(..., help="Folder with ground-truth.json and html/*.html.gz."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Article text from HTML: token F1, ours beside trafilatura alone."""
    from sayso.eval import extraction

    if not (directory / "ground-truth.json").is_file():
        fail(f"{directory} has no ground-truth.json")
    result = extraction.evaluate(directory)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    typer.echo(f"pages: {result['pages']}  skipped: {len(result['skipped'])}")
    for name in ("sayso", "trafilatura"):
        r = result[name]
        typer.echo(f"{name:12s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
    for line in result["skipped"]:
        typer.echo(f"skipped {line}")


@eval_app.command("entities")
def eval_entities(
    annotations: Path = typer.Argument(..., help="Hand annotations, e.g. annotations/polnear-dev-persons-times.jsonl."),
    dev_dir: Path = typer.Argument(..., help="The PolNeAR dev folder (text/ inside, metadata.tsv beside it)."),
    errors: bool = typer.Option(False, "--errors", help="Also list each wrong or missed time value."),
    accurate: bool | None = EVAL_TIER,
) -> None:
    """Person mentions and coreference (MUC, pairwise) and time values against hand annotations."""
    use_tier(accurate, "fast")
    from sayso.eval import persons

    if not annotations.is_file():
        fail(f"no such annotations file: {annotations}")
    if not dev_dir.is_dir():
        fail(f"no such folder: {dev_dir}")
    scores = persons.run(annotations, dev_dir)
    for line in persons.summary(scores) + (scores.errors if errors else []):
        typer.echo(line)


@eval_app.command("attribution")
def eval_attribution(
    directory: Path = typer.Argument(..., help="A brat folder: text/*.txt and attributions/*.ann (PolNeAR's layout)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    reports: Path | None = typer.Option(None, "--reports", help="Score these reports (JSONL) instead of analysing the texts."),
    accurate: bool | None = EVAL_TIER,
    errors: bool = typer.Option(False, "--errors", help="Also count the errors by kind (no cue, content missed, boundary off, source missed, ...)."),
) -> None:
    """Attribution source, cue and content against brat gold: exact and overlap P/R/F1, by publisher.

    The texts are analysed as `sayso batch` does (or the given reports are scored)."""
    use_tier(accurate, "fast")
    from sayso.eval import attribution, attribution_errors

    try:
        result, _ = attribution.run(directory, reports, also={"errors": attribution_errors.table} if errors else None)
    except (FileNotFoundError, InputError) as err:
        fail(str(err))
        return
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        typer.echo(attribution.format_table(result))
        if errors:
            typer.echo(attribution_errors.format_table(result["errors"]))


@eval_app.command("languages")
def eval_languages(
    annotations: list[Path] = typer.Argument(..., help="Annotated paragraphs (JSONL; annotations/news-fr-dev.jsonl, news-ru-dev.jsonl)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    reports: Path | None = typer.Option(None, "--reports", help="Score these reports (JSONL from `sayso batch` over the same files) instead of analysing the texts."),
) -> None:
    """Sentence status, named-source and time-value accuracy per language on annotated paragraphs."""
    from sayso.eval import languages, runtime

    try:
        records = languages.read(annotations)
        if reports is not None:
            rows = [json.loads(line) for line in reports.read_text(encoding="utf-8").splitlines() if line.strip()]
            by_id = {r["id"]: r for r in rows}
        else:
            run = runtime.analyze(languages.articles(records))
            by_id = {k: r.to_dict() for k, r in run.reports.items()} | {k: {"error": e} for k, e in run.refused.items()}
    except (OSError, ValueError, KeyError) as err:
        fail(f"cannot read the annotations or reports: {err}")
        return
    result = languages.score(records, by_id)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        typer.echo(languages.format_table(result))


@eval_app.command("sources")
def eval_sources(
    directory: Path = typer.Argument(..., help="A brat folder: text/*.txt and attributions/*.ann (PolNeAR's layout)."),
    errors: bool = typer.Option(False, "--errors", help="List the linked sources that fail the head test."),
    reports: Path | None = typer.Option(None, "--reports", help="Score these reports (JSONL) instead of analysing the texts."),
    accurate: bool | None = EVAL_TIER,
) -> None:
    """Whether sources are linked to the entity at the head of their phrase."""
    use_tier(accurate, "fast")
    from sayso.eval import sources

    try:
        scores = sources.run(directory, reports, with_errors=errors)
    except FileNotFoundError as err:
        fail(str(err))
        return
    for line in sources.format_summary(scores) + scores.errors:
        typer.echo(line)


@eval_app.command("hedges")
def eval_hedges(
    pos_file: Path = typer.Argument(..., help="Uncertain sentences, one a line (e.g. wikiweasel/train_uncertain.txt)."),
    neg_file: Path = typer.Argument(..., help="Certain sentences, one a line (e.g. wikiweasel/train_certain.txt)."),
    cv: int = typer.Option(0, "--cv", help="K-fold cross-validation of the uncertainty side model's training recipe instead of sayso's reports."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    accurate: bool | None = EVAL_TIER,
) -> None:
    """Uncertain (hedged or weaselly) sentences as sayso reports them: P, R, F1 of the uncertain class."""
    use_tier(accurate, "fast")
    from sayso.eval import hedges

    for path in (pos_file, neg_file):
        if not path.is_file():
            fail(f"no such file: {path}")
    result = hedges.evaluate(pos_file, neg_file, cv=cv)
    _print_prf(result, as_json)


@eval_app.command("checkworthy")
def eval_checkworthy(
    tsv: Path = typer.Argument(..., help="CheckThat!-style TSV: Sentence_id, Text, class_label (Yes/No)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    accurate: bool | None = EVAL_TIER,
) -> None:
    """Check-worthy sentences as sayso reports them (a claim): P, R, F1 of the Yes class."""
    use_tier(accurate, "fast")
    from sayso.eval import checkworthy

    if not tsv.is_file():
        fail(f"no such file: {tsv}")
    _print_prf(checkworthy.evaluate(tsv), as_json)


def _print_prf(result: dict, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    typer.echo(f"{result['task']}: {result['sentences']} sentences, {result['positive']} positive")
    if "mode" in result:
        typer.echo(f"mode: {result['mode']}")
    typer.echo(f"P {result['precision']:.2f}  R {result['recall']:.2f}  F1 {result['f1']:.2f}")
    if "speed_line" in result:
        typer.echo(result["speed_line"])
    for key in ("repaired", "skipped", "refused"):
        for line in result.get(key, []):
            typer.echo(f"{key} {line}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, help="Port."),
    db: Path | None = typer.Option(None, "--db", help="A store made by `sayso batch --db`, for the corpus explorer (read-only)."),
    workers: int | None = typer.Option(None, "--workers", help="Analysis worker processes (each loads the pipeline once); default one per two cores, at most 4."),
    queue: int = typer.Option(16, "--queue", help="Requests that may wait for a worker; past that 503 with Retry-After."),
    time_limit: float = typer.Option(60.0, "--time-limit", help="Seconds for one analysis; past that 504 and the worker is replaced."),
    token: str | None = typer.Option(None, "--token", envvar="SAYSO_TOKEN", help="Required token (Bearer header for the API, a cookie set at /login for the page); needed off loopback."),
    insecure: bool = typer.Option(False, "--insecure", help="Allow a non-loopback bind without a token."),
    allow_host: list[str] = typer.Option([], "--allow-host", help="Another name the server is reached by (Host header); repeatable."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Let `url` inputs fetch from non-public addresses."),
    accurate: bool | None = ANALYZE_TIER,
) -> None:
    """A local web page (article and corpus explorer) and HTTP API (OpenAPI at /docs)."""
    import uvicorn

    from sayso.web import ServeConfig, create_app

    chosen = choose_tier(accurate, "auto")  # the worker processes are told it; reports say it in meta.tier

    config = ServeConfig(host=host, port=port, queue=queue, time_limit=time_limit, token=token or None, insecure=insecure, db=db, allow_hosts=tuple(allow_host), allow_private=allow_private, tier=chosen)
    if workers is not None:
        config.workers = workers
    try:
        config.check()
        app_ = create_app(config)
    except (ValueError, FileNotFoundError, OSError) as err:
        fail(str(err).splitlines()[0])
    except Exception as err:  # duckdb's errors (a store locked by a running batch, a broken file)
        fail(f"cannot open {db}: {str(err).splitlines()[0]}")
    uvicorn.run(app_, host=host, port=port, timeout_graceful_shutdown=5, server_header=False)


TABLE_FORMATS = ("table", "csv", "json")


def _print_rows(columns: list[str], rows: list[tuple], format: str, title: str | None = None) -> None:
    if format == "json":
        sys.stdout.write(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], default=str, ensure_ascii=False) + "\n")
    elif format == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns, title=title)
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r))
        Console().print(table)


@app.command()
def query(
    database: Path = typer.Argument(..., help="A DuckDB file written by `sayso batch --db`."),
    sql: str = typer.Argument(..., help="SQL over the tables articles, sentences, cues, entities, mentions, attributions, claims, times, integrity, errors."),
    format: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """Run SQL on a batch's database: read-only and sandboxed.

    The store is opened read-only with external access off (no file outside it can be read or
    written: COPY ... TO, read_csv, read_text, glob and ATTACH are refused), extension installing
    and loading off, and the configuration locked so a query cannot turn these back on.
    """
    for title, columns, rows in _run_sql(database, format, [(None, sql)]):
        _print_rows(columns, rows, format, title)


@app.command()
def stats(
    database: Path = typer.Argument(..., help="A DuckDB file written by `sayso batch --db`."),
    limit: int = typer.Option(20, help="Rows per report."),
    format: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    no_duplicates: bool = typer.Option(False, "--no-duplicates", help="Leave near-duplicate copies out (after `sayso stories`)."),
) -> None:
    """Ready-made reports: sources quoted most (one row a person across articles after `sayso stories`), outlets by unsourced share, anonymous sourcing over time."""
    from sayso.store.corpus import stats_queries

    for title, columns, rows in _run_sql(database, format, lambda con: stats_queries(con, limit, no_duplicates)):
        _print_rows(columns, rows, format, title)


def _run_sql(database: Path, format: str, queries: Any) -> list[tuple[str | None, list[str], list]]:
    """(title, columns, rows) of each query, read-only; a bad format, file or query is one line and exit 2."""
    import duckdb

    from sayso.store.database import connect

    if format not in TABLE_FORMATS:
        fail(f"--format must be one of {', '.join(TABLE_FORMATS)}")
    results = []
    try:
        con = connect(database)
        for title, sql in queries(con) if callable(queries) else queries:
            cur = con.execute(sql)
            columns = [d[0] for d in cur.description or []]
            results.append((title, columns, cur.fetchall() if columns else []))
    except (FileNotFoundError, InputError, ValueError, duckdb.Error) as err:
        fail(str(err).splitlines()[0] if str(err) else type(err).__name__)
    return results


def main() -> None:
    app()


if __name__ == "__main__":
    main()
