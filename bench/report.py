"""Turn the measured numbers into Markdown tables (what, litkg, bare, ratio, goal)."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

Numbers = dict[str, Any]
DASH = "—"


class Row(NamedTuple):
    """One line of a results table."""

    what: str
    litkg: str
    bare: str = DASH
    ratio: str = DASH
    goal: str = DASH


def _s(value: float | None) -> str:
    if value is None or math.isnan(value):
        return DASH
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def _ms(value: float | None) -> str:
    return DASH if value is None or math.isnan(value) else f"{value:.1f} ms"


def _mb(value: float | None) -> str:
    return DASH if value is None else f"{value:.0f} MB"


def _ratio(num: float | None, den: float | None, limit: float, higher_is_better: bool) -> str:
    """num/den, marked ✗ when it misses the goal."""
    if not num or not den:
        return DASH
    ratio = num / den
    met = ratio >= limit if higher_is_better else ratio <= limit
    return f"{ratio:.2f}{'' if met else ' ✗'}"


def _count(value: float | None, unit: str = "") -> str:
    return DASH if value is None else f"{value:,.0f}{unit}"


def _goal_s(value: float | None, limit: float) -> str:
    if value is None:
        return f"≤ {limit:g} s"
    return f"≤ {limit:g} s" + ("" if value <= limit else " ✗")


def size_rows(n: Numbers) -> list[Row]:
    """The rows of one library size."""
    rows = [
        Row(f"`add` {n.get('files')} files → {_count(n.get('passages'))} passages (end to end)",
            _s(n.get("add_s")), _s(n.get("bare_index_s")),
            _ratio(n.get("bare_index_s"), n.get("add_s"), 0.8, True), "bare/litkg ≥ 0.8"),
        Row("indexing step alone: litkg catch-up vs bare loop (in process)",
            _s(n.get("catch_up_s")), _s(n.get("bare_index_s")),
            _ratio(n.get("bare_index_s"), n.get("catch_up_s"), 0.8, True), "bare/litkg ≥ 0.8"),
    ]
    for label, key in (("p50", "p50_ms"), ("p95", "p95_ms")):
        rows.append(Row(f"search warm {label} ({n.get('queries')} queries, `Library.search`)",
                        _ms(n.get(f"warm_{key}")), _ms(n.get(f"bare_{key}")),
                        _ratio(n.get(f"warm_{key}"), n.get(f"bare_{key}"), 1.2, False),
                        "litkg/bare ≤ 1.2"))
    rows += [
        Row("search warm p50, no expansion (`exact=True`) / bare without snippets",
            _ms(n.get("exact_p50_ms")), _ms(n.get("bare_nosnip_p50_ms"))),
        Row("`litkg search Q` cold (median)", _s(n.get("search_cold_s"))),
        Row("`litkg concept …` cold (median)", _s(n.get("concept_cold_s"))),
        Row("`litkg work …` cold (median)", _s(n.get("work_cold_s"))),
        Row("`litkg add newpage.txt` to this library", _s(n.get("add_page_s")), goal=_goal_s(
            n.get("add_page_s"), 1.0)),
        Row("peak RSS: `add` corpus / `add` one page", f"{_mb(n.get('add_rss_mb'))} / "
            f"{_mb(n.get('add_page_rss_mb'))}"),
        Row("peak RSS: `search` / `concept` / `work`", f"{_mb(n.get('search_rss_mb'))} / "
            f"{_mb(n.get('concept_rss_mb'))} / {_mb(n.get('work_rss_mb'))}"),
    ]
    return rows


def breakdown_rows(n: Numbers) -> list[Row]:
    """In-process costs on the largest library (what each command pays up front)."""
    return [
        Row("`Library.open` (store, starter check)", _s(n.get("open_s"))),
        Row("vocabulary (cached merge)", _s(n.get("vocabulary_s"))),
        Row("`lib.extractor()` (concept matcher + resolver)", _s(n.get("extractor_s"))),
        Row(f"resolver surnames from the store ({_count(n.get('surnames'))})",
            _s(n.get("surnames_s"))),
        Row(f"`lib.graph()` ({_count(n.get('graph_nodes'))} nodes, "
            f"{_count(n.get('graph_edges'))} edges)", _s(n.get("graph_s"))),
        Row(f"store → index records ({_count(n.get('records'))})", _s(n.get("read_records_s"))),
    ]


def global_rows(n: Numbers) -> list[Row]:
    """Rows that do not depend on the library's size."""
    return [
        Row("`litkg --help` cold (median)", _s(n.get("help_cold_s")),
            goal=f"RSS {_mb(n.get('help_rss_mb'))}"),
        Row(f"HTML main text (`parse_html`, {n.get('html_pages')} Zyte pages)",
            _count(n.get("html_pages_per_s"), " pages/s")),
        Row(f"citations (`extract_citations`, {_count(n.get('throughput_passages'))} passages)",
            _count(n.get("citations_per_s"), " passages/s")),
        Row("concepts (`ConceptMatcher.find`, same passages)",
            _count(n.get("concepts_per_s"), " passages/s"),
            goal=f"matcher built in {_s(n.get('matcher_build_s'))}"),
    ]


def markdown(rows: list[Row]) -> str:
    """A Markdown table of rows."""
    lines = ["| what | litkg | bare Whoosh | ratio | goal |", "|---|---:|---:|---:|---|"]
    lines += [f"| {r.what} | {r.litkg} | {r.bare} | {r.ratio} | {r.goal} |" for r in rows]
    return "\n".join(lines)


def machine_line(m: Numbers) -> str:
    """The machine, in one line."""
    return (f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, Python {m['python']}, "
            f"{m['system']}; load average at start {m['load_1min']}")
