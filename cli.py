"""litkg's command line: each command parses options, calls the library, prints."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

EXIT_PARTIAL = 1
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: Any) -> str:
    """Text from a source, made safe for a terminal: no escape sequences or control bytes."""
    return _CONTROL.sub("", str(text))


def emit_json(data: Any) -> None:
    """Print JSON (one object, indented on a terminal, compact when piped)."""
    indent = 2 if sys.stdout.isatty() else None
    click.echo(json.dumps(data, ensure_ascii=False, indent=indent))


def colour() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def style(text: str, **kw: Any) -> str:
    """click.style when colour is on, plain text otherwise."""
    return click.style(text, **kw) if colour() else text


def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """The shared --json flag."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(f)


def handled(f: Callable[..., Any]) -> Callable[..., Any]:
    """Turn litkg's errors into one line on stderr and exit code 1."""

    @wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from kg.errors import LitkgError

        ctx = click.get_current_context()
        try:
            return f(*args, **kwargs)
        except LitkgError as exc:
            click.echo(f"litkg: {clean(exc)}", err=True)
            ctx.exit(EXIT_PARTIAL)
        except (click.ClickException, click.exceptions.Exit, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `litkg ... | head`: the reader left; so do we, quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 - the last line of defence, shown in one line
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(f"litkg: internal error: {type(exc).__name__}: {clean(exc)} "
                       "(run with --debug for the traceback)", err=True)
            ctx.exit(EXIT_PARTIAL)

    return wrapper


def open_library(ctx: click.Context) -> Any:
    """The library named by --library, $LITKG_LIBRARY or the default folder."""
    from kg import Library

    lib = Library.open(ctx.obj.get("library"))
    lib.on_wait = lambda message: click.echo(f"litkg: {message}", err=True)
    ctx.call_on_close(lib.close)
    return lib


def table(rows: list[list[Any]], headers: list[str]) -> None:
    """Print rows as an aligned table."""
    cells = [[clean(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    click.echo(style("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(), bold=True))
    for r in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--library", type=click.Path(file_okay=False), envvar="LITKG_LIBRARY",
              help="Library folder (default: $LITKG_LIBRARY or the user data folder).")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.version_option("0.1.0", prog_name="litkg")
@click.pass_context
def main(ctx: click.Context, library: str | None, debug: bool) -> None:
    """litkg: a literature knowledge graph you can search from the terminal.

    \b
    Example:
        litkg add notes/ paper.html && litkg search "working alliance"
    """
    ctx.ensure_object(dict)
    ctx.obj["library"] = library


# -- sources ----------------------------------------------------------------------------

from corpus.formats import format_names  # noqa: E402  (cheap: no parser is imported)


def _url_patterns(ctx: click.Context, param: click.Parameter,
                  value: tuple[str, ...]) -> tuple[str, ...]:
    """Check --include/--exclude patterns up front (a bad regex is a usage error)."""
    from corpus.crawl import PatternError, UrlFilter

    try:
        UrlFilter.compile(value)
    except PatternError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", default="auto", show_default=True, type=click.Choice(format_names()),
              help="Source format (auto detects it from the name and content).")
@click.option("--glob", default=None, help="File pattern when a SOURCE is a folder, e.g. '*.html'.")
@click.option("--crawl", "depth", type=click.IntRange(0), default=0, show_default=True,
              help="Follow links from URL sources this many hops (same site).")
@click.option("--include", multiple=True, callback=_url_patterns,
              help="Follow only links matching this glob (or 're:REGEX'); repeatable.")
@click.option("--exclude", multiple=True, callback=_url_patterns,
              help="Never follow links matching this glob (or 're:REGEX'); repeatable.")
@click.option("--max-pages", type=click.IntRange(1), default=100, show_default=True,
              help="Most pages a crawl fetches.")
@click.option("--refresh", is_flag=True, help="Re-check cached URLs (conditional GET).")
@click.option("--delay", type=click.FloatRange(0), default=1.0, show_default=True,
              help="Least seconds between two requests to one site.")
@click.option("-v", "--verbose", is_flag=True, help="Print each source once it is stored.")
@json_option
@click.pass_context
@handled
def add(ctx: click.Context, sources: tuple[str, ...], fmt: str, glob: str | None, depth: int,
        include: tuple[str, ...], exclude: tuple[str, ...], max_pages: int, refresh: bool,
        delay: float, verbose: bool, as_json: bool) -> None:
    """Add files, folders and web pages to the library (unchanged ones are skipped).

    \b
    Example:
        litkg add review.html notes/ --glob '*.md'
        litkg add https://example.org/reading-list.html --crawl 1 --include '*/papers/*'
    """
    from corpus.fetch import CrawlOptions, FetchOptions

    lib = open_library(ctx)
    show = sys.stderr.isatty() and not as_json
    progress = (lambda s: click.echo(f"\r\x1b[2Kadding {clean(s)[-70:]}", nl=False, err=True)) \
        if show else None
    stored = (lambda s: click.echo(f"stored {clean(s)}")) if verbose else None
    report = lib.add(list(sources), fmt=fmt, glob=glob, progress=progress,
                     fetch=FetchOptions(delay=delay, refresh=refresh),
                     crawl=CrawlOptions(depth, include, exclude, max_pages), on_stored=stored)
    if show:
        click.echo("\r\x1b[2K", nl=False, err=True)
    for err in report.failed:
        click.echo(f"litkg: {clean(err)}", err=True)
    if as_json:
        emit_json({"added": report.added, "replaced": report.replaced,
                   "unchanged": report.unchanged, "documents": report.documents,
                   "failed": [{"source": e.source, "reason": e.reason} for e in report.failed]})
    else:
        click.echo(f"{len(report.added)} added, {len(report.replaced)} replaced, "
                   f"{len(report.unchanged)} unchanged, {len(report.failed)} failed "
                   f"({report.documents} documents)")
    if report.failed:
        ctx.exit(EXIT_PARTIAL)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", default="auto", show_default=True, type=click.Choice(format_names()),
              help="Source format (auto detects it from the name and content).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one document a line.")
@click.pass_context
@handled
def parse(ctx: click.Context, sources: tuple[str, ...], fmt: str, as_json: bool) -> None:
    """Parse and extract sources and print the result; the library is not touched.

    \b
    Example:
        litkg parse page.html --json | jq .citations
    """
    from kg.parse import parse_to_json

    failed = 0
    for item in parse_to_json(list(sources), fmt):
        if isinstance(item, Exception):
            failed += 1
            click.echo(f"litkg: {clean(item)}", err=True)
        elif as_json:
            click.echo(json.dumps(item, ensure_ascii=False))
        else:
            _print_parsed(item)
    if failed:
        ctx.exit(EXIT_PARTIAL)


def _print_parsed(doc: dict[str, Any]) -> None:
    click.echo(style(clean(doc["title"] or doc["source"]), bold=True) + f"  ({clean(doc['source'])})")
    click.echo(f"  {len(doc['passages'])} passages, {len(doc['concepts'])} concepts, "
               f"{len(doc['citations'])} citations, {len(doc['references'])} references")
    for c in doc["concepts"]:
        click.echo(f"  concept  {clean(c['label'])} x{c['count']}")
    for c in doc["citations"]:
        click.echo(f"  cites    {clean(c['text'])}  -> {clean(c['work'] or c['person'] or '')}")


@main.command()
@click.argument("source")
@click.pass_context
@handled
def remove(ctx: click.Context, source: str) -> None:
    """Remove a source and exactly what it contributed.

    \b
    Example:
        litkg remove notes/old.md
    """
    n = open_library(ctx).remove(source)
    click.echo(f"removed {clean(source)} ({n} documents)")


@main.command()
@json_option
@click.pass_context
@handled
def sources(ctx: click.Context, as_json: bool) -> None:
    """List the library's sources.

    \b
    Example:
        litkg sources --json
    """
    rows = open_library(ctx).sources()
    if as_json:
        emit_json(rows)
        return
    table([[r["source"], r["format"], r["documents"], r["added"][:19]] for r in rows],
          ["source", "format", "docs", "added"])


# -- questions --------------------------------------------------------------------------

def _years(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-\u2013]\s*(\d{4})?)?\s*", value)
    if not m:
        raise click.BadParameter("expected YEAR or FROM-TO, e.g. 1970-1990", param_hint="--year")
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) else (lo if "-" not in value else 9999)
    return lo, hi


@main.command()
@click.argument("query")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--concept", help="Only passages that mention this concept.")
@click.option("--author", help="Only passages by or citing this author (surname).")
@click.option("--year", help="Only documents of these years: 1979 or 1970-1990.")
@click.option("--exact", is_flag=True, help="Do not expand the query with vocabulary aliases.")
@json_option
@click.pass_context
@handled
def search(ctx: click.Context, query: str, limit: int, concept: str | None, author: str | None,
           year: str | None, exact: bool, as_json: bool) -> None:
    """Search passages, best first.

    \b
    Example:
        litkg search "alliance rupture" --year 1990-2020 --limit 5
    """
    years = _years(year)
    result = open_library(ctx).search(query, limit=limit, concept=concept, author=author,
                                      years=years, exact=exact)
    if as_json:
        from dataclasses import asdict

        emit_json(asdict(result))
        return
    _print_hits(result)


def _print_hits(result: Any) -> None:
    if not result.hits:
        hint = f" Did you mean: {clean(result.suggestion)}?" if result.suggestion else ""
        click.echo(f"No passages match {clean(result.query)!r}.{hint}")
        return
    extra = f" (also: {', '.join(clean(e) for e in result.expanded)})" if result.expanded else ""
    click.echo(f"{result.total} passages match{extra}")
    for i, hit in enumerate(result.hits, 1):
        click.echo(style(f"{i:>2}. {clean(hit.title) or clean(hit.source)}", bold=True)
                   + style(f"  [{hit.score:.2f}] {clean(hit.source)}", dim=True))
        click.echo("    " + _marked(hit.snippet, hit.marks))


def _marked(snippet: str, marks: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for s, e in sorted(marks):
        if s < pos:
            continue
        out.append(clean(snippet[pos:s]))
        word = clean(snippet[s:e])
        out.append(style(word, bold=True, fg="yellow") if colour() else f"*{word}*")
        pos = e
    out.append(clean(snippet[pos:]))
    return "".join(out).replace("\n", " ")


def _print_card(card: dict[str, Any]) -> None:
    click.echo(style(clean(card.get("label", card["id"])), bold=True) + f"  ({card['id']})")
    for key, value in card.items():
        if key in ("id", "label", "type") or value in ("", [], None, False):
            continue
        if isinstance(value, list):
            click.echo(style(f"{key}:", bold=True))
            for item in value[:15]:
                click.echo("  - " + _card_item(item))
            if len(value) > 15:
                click.echo(f"  ... and {len(value) - 15} more")
        else:
            click.echo(style(f"{key}: ", bold=True) + clean(value))


def _card_item(item: Any) -> str:
    if not isinstance(item, dict):
        return clean(item)
    head = clean(item.get("label") or item.get("title") or item.get("id") or "")
    if item.get("count"):
        head += f" ({item['count']})"
    if item.get("source"):
        head += f"  {clean(item['source'])}"
    for ev in item.get("evidence", [])[:2]:
        head += "\n      \u201c" + clean(ev["text"])[:300] + "\u201d"
    return head


def _card_command(name: str, method: str, doc: str) -> None:
    @main.command(name=name, help=doc)
    @click.argument("name", metavar="NAME")
    @json_option
    @click.pass_context
    @handled
    def command(ctx: click.Context, name: str, as_json: bool) -> None:
        card = getattr(open_library(ctx), method)(name)
        emit_json(card) if as_json else _print_card(card)


_card_command("concept", "concept", """Show a concept's card: definition, aliases, works and evidence.

    \b
    Example:
        litkg concept "working alliance"
    """)
_card_command("work", "work", """Show a work's card: authors, year, title, who cites it and why.

    \b
    Example:
        litkg work "Bordin 1979"
    """)
_card_command("author", "author", """Show a person's card: works, co-authors, concepts.

    \b
    Example:
        litkg author Bordin
    """)


@main.command()
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 100000))
@click.option("--candidates", is_flag=True, help="Candidate concepts not in the vocabulary.")
@json_option
@click.pass_context
@handled
def concepts(ctx: click.Context, top: int, candidates: bool, as_json: bool) -> None:
    """List the concepts most documents mention.

    \b
    Example:
        litkg concepts --top 10
    """
    rows = open_library(ctx).concepts(top=top, candidates=candidates)
    if as_json:
        emit_json(rows)
        return
    table([[r["label"], r["documents"], r["mentions"], r["id"]] for r in rows],
          ["concept", "docs", "mentions", "id"])


@main.command()
@json_option
@click.pass_context
@handled
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count what the library holds.

    \b
    Example:
        litkg stats --json
    """
    data = open_library(ctx).stats()
    if as_json:
        emit_json(data)
        return
    table([[k, v] for k, v in data.items()], ["what", "count"])


# -- output and upkeep ------------------------------------------------------------------

@main.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["json", "graphml", "gexf", "cytoscape",
                                                            "dot", "csv", "vosviewer", "html",
                                                            "bibtex", "csljson"]))
@click.option("-o", "--output", type=click.Path(writable=True),
              help="File to write (default: standard output); a folder for csv, and for "
                   "vosviewer's map and network files.")
@click.option("--around", help="Only the neighbourhood of this node id.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 10))
@click.option("--types", help="Only these node types, e.g. concept,work.")
@click.option("--view", type=click.Choice(["full", "citation", "cocitation", "coupling",
                                            "cooccurrence", "coauthor"]), default="full",
              show_default=True, help="Which network to export.")
@click.option("--min-weight", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Drop lighter edges of a weighted view.")
@click.pass_context
@handled
def export(ctx: click.Context, fmt: str, output: str | None, around: str | None, depth: int,
           types: str | None, view: str, min_weight: float) -> None:
    """Export the graph for Gephi, Cytoscape, Neo4j, VOSviewer, Graphviz or a browser.

    graphml/gexf: Gephi, yEd, Cytoscape desktop; cytoscape: Cytoscape.js JSON;
    dot: Graphviz; csv: a folder with nodes.csv and relationships.csv for
    neo4j-admin import; vosviewer: VOSviewer JSON (or map.txt and network.txt when
    -o names a folder); html: one offline interactive page.

    \b
    Example:
        litkg export graphml -o alliance.graphml --types concept,work
        litkg export html -o alliance.html
        litkg export csv -o neo4j-import/
    """
    type_list = [t.strip() for t in types.split(",")] if types else None
    text = open_library(ctx).export(fmt, Path(output) if output else None, view=view,
                                    min_weight=min_weight, around=around, depth=depth,
                                    types=type_list)
    if text is not None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {output}", err=True)


ANALYSES = ["communities", "central", "timeline", "cooccurrence", "cocitation", "coupling",
            "coauthor", "citation"]


@main.command()
@click.argument("kind", type=click.Choice(ANALYSES))
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 100000))
@click.option("--view", default="cooccurrence", show_default=True,
              type=click.Choice(["full", "cooccurrence", "cocitation", "coupling", "coauthor"]),
              help="The network communities are found in.")
@click.option("--measure", default="pagerank", show_default=True,
              type=click.Choice(["pagerank", "degree", "betweenness"]), help="For central.")
@click.option("--min-weight", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Drop lighter edges first (coupling grows fast on big libraries).")
@json_option
@click.pass_context
@handled
def analyze(ctx: click.Context, kind: str, top: int, view: str, measure: str, min_weight: float,
            as_json: bool) -> None:
    """Bibliometric analysis: communities, central nodes, the timeline, strongest links.

    \b
    Example:
        litkg analyze communities --view cooccurrence
        litkg analyze central --measure betweenness --top 10
        litkg analyze cocitation --top 15 --json
    """
    result = open_library(ctx).analyze(kind, top=top, view=view, measure=measure,
                                       min_weight=min_weight)
    if as_json:
        emit_json(result)
    elif kind == "communities":
        table([[c["id"], c["size"], c["label"]] for c in result[:top]], ["community", "size", "label"])
    elif kind == "central":
        table([[f"{r['score']:.4f}", r["type"], r["label"]] for r in result], ["score", "type", "node"])
    elif kind == "timeline":
        table([[c["label"], c["first_year"], c["peak_year"], c["works"]] for c in result["concepts"]],
              ["concept", "first", "peak", "works"])
    else:
        table([[r["weight"], r["source_label"], r["target_label"]] for r in result],
              ["weight", "from", "to"])


@main.command()
@click.argument("a")
@click.argument("b")
@json_option
@click.pass_context
@handled
def path(ctx: click.Context, a: str, b: str, as_json: bool) -> None:
    """The shortest path between two nodes, each hop with the sentences behind it.

    \b
    Example:
        litkg path "transference" "alliance rupture"
    """
    result = open_library(ctx).find_path(a, b)
    if as_json:
        emit_json(result)
        return
    labels = {n["id"]: n["label"] for n in result["nodes"]}
    for hop in result["hops"]:
        arrow = f"--{hop['type']}-->" if hop.get("forward", True) else f"<--{hop['type']}--"
        click.echo(style(f"{clean(labels.get(hop['from'], hop['from']))} {arrow} "
                         f"{clean(labels.get(hop['to'], hop['to']))}", bold=True))
        for ev in hop["evidence"][:2]:
            click.echo(f"    \u201c{clean(ev['text'])[:300]}\u201d  {clean(ev.get('source', ''))}")


@main.command()
@click.pass_context
@handled
def doctor(ctx: click.Context) -> None:
    """Check the library and repair its derived index.

    \b
    Example:
        litkg doctor
    """
    problems = open_library(ctx).doctor()
    for p in problems:
        click.echo(f"repaired: {p}")
    click.echo("library is healthy" if not problems else f"{len(problems)} problems repaired")


@main.command()
@click.pass_context
@handled
def reindex(ctx: click.Context) -> None:
    """Re-extract every document and rebuild the search index.

    \b
    Example:
        litkg reindex
    """
    n = open_library(ctx).reindex()
    click.echo(f"re-extracted and re-indexed {n} documents")


@main.group()
def vocab() -> None:
    """Manage the library's vocabulary.

    \b
    Example:
        litkg vocab add my-terms.toml
    """


@vocab.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
@handled
def vocab_add(ctx: click.Context, file: str) -> None:
    """Add a vocabulary file (TOML or JSON) and re-extract with it.

    \b
    Example:
        litkg vocab add attachment.toml
    """
    n = open_library(ctx).vocab_add(Path(file))
    click.echo(f"added {n} concepts from {clean(file)}")


@vocab.command("promote")
@click.argument("name")
@click.option("--definition", default="", help="A definition to keep with the concept.")
@click.pass_context
@handled
def vocab_promote(ctx: click.Context, name: str, definition: str) -> None:
    """Promote a candidate concept into the library's vocabulary and re-extract.

    \b
    Example:
        litkg concepts --candidates && litkg vocab promote "epistemic trust"
    """
    cid = open_library(ctx).vocab_promote(name, definition)
    click.echo(f"promoted {clean(name)} as {cid}")


if __name__ == "__main__":
    main()
