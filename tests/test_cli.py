"""The command line: help, exit codes, JSON shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main


def run(args: list[str], lib: Path) -> "object":
    return CliRunner().invoke(main, ["--library", str(lib), *args], catch_exceptions=False)


def all_commands() -> list[list[str]]:
    names = []
    for name, cmd in main.commands.items():
        names.append([name])
        for sub in getattr(cmd, "commands", {}):
            names.append([name, sub])
    return names


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(path: list[str]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_parse_json_lines_shape(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Alliance\n\nBordin (1979) framed the working alliance.")
    b = tmp_path / "b.md"
    b.write_text("# B\n\nEmpathy (Rogers, 1957) matters.")
    result = CliRunner().invoke(main, ["parse", str(a), str(b), "--json"])
    assert result.exit_code == 0
    docs = [json.loads(line) for line in result.output.splitlines()]
    assert [d["source"] for d in docs] == [str(a), str(b)]
    for d in docs:
        assert set(d) >= {"source", "title", "text", "passages", "concepts", "citations", "references"}
        for c in d["citations"]:
            assert d["text"][c["start"]:c["end"]] == c["text"]
    assert docs[0]["citations"][0]["work"] == "work:bordin-1979"
    assert any(c["id"] == "concept:working-alliance" for c in docs[0]["concepts"])


def test_exit_codes(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    good = tmp_path / "good.txt"
    good.write_text("Good\n\nRupture repair in the alliance.")
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"\x00\x00binary\x00")
    result = run(["add", str(good), str(bad)], lib)
    assert result.exit_code == 1
    assert "bad.html" in result.stderr and "binary" in result.stderr
    assert len([l for l in result.stderr.splitlines() if l.strip()]) == 1
    assert run(["search", "rupture", "--json"], lib).exit_code == 0
    assert run(["search", "x", "--year", "soon"], lib).exit_code == 2
    assert run(["nonsense"], lib).exit_code == 2
    assert run(["concept", "no such concept here"], lib).exit_code == 1


def test_search_json_shape(tmp_path: Path) -> None:
    result = run(["search", "working alliance", "--json", "--limit", "3"], tmp_path / "lib")
    data = json.loads(result.output)
    assert set(data) >= {"query", "expanded", "total", "hits"}
    assert 0 < len(data["hits"]) <= 3
    assert set(data["hits"][0]) >= {"doc", "source", "title", "passage", "start", "end", "score",
                                    "snippet", "concepts", "citations"}


def test_export_graphml_round_trip(tmp_path: Path) -> None:
    import networkx as nx

    out = tmp_path / "g.graphml"
    assert run(["export", "graphml", "-o", str(out)], tmp_path / "lib").exit_code == 0
    g = nx.read_graphml(out)
    assert g.nodes["concept:working-alliance"]["type"] == "concept"


def test_terminal_output_has_no_escape_sequences(tmp_path: Path) -> None:
    page = tmp_path / "evil.txt"
    page.write_text("Evil \x1b[31mred\x1b[0m title\n\nThe alliance \x1b]0;owned\x07 matters.")
    lib = tmp_path / "lib"
    run(["add", str(page)], lib)
    out = run(["search", "alliance matters"], lib).output
    assert "\x1b" not in out


def test_no_escape_sequence_from_any_source_reaches_the_terminal(tmp_path: Path) -> None:
    esc = "\x1b[2J\x1b]0;owned\x07\x9b31m"
    (tmp_path / "page.html").write_text(
        f"<html><head><title>Alliance {esc} page</title></head><body><h1>Alliance {esc}</h1>"
        f"<p>The working alliance {esc} matters (Kellerman, 2015). Empathy too.</p></body></html>")
    (tmp_path / "refs.bib").write_text(
        "@article{k15, author = {Kellerman, Ann}, year = {2015}, title = {Scale " + esc + " study},"
        " journal = {J}}")
    lib = tmp_path / "lib"
    run(["add", str(tmp_path / "page.html"), str(tmp_path / "refs.bib")], lib)
    outputs = [run(args, lib).output for args in (
        ["search", "alliance"], ["sources"], ["work", "Kellerman 2015"], ["concept", "empathy"],
        ["author", "Kellerman"], ["parse", str(tmp_path / "page.html")])]
    for out in outputs:
        assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out


def test_path_and_analyze_commands(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Roots\n\nFreud (1912) described transference. Greenson (1965) tied transference "
                    "to the working alliance, and alliance ruptures follow (Safran & Muran, 2000).\n")
    lib = tmp_path / "lib"
    run(["add", str(page)], lib)
    result = run(["path", "transference", "alliance rupture", "--json"], lib)
    assert result.exit_code == 0
    hops = json.loads(result.output)["hops"]
    assert hops and all(h["type"] for h in hops)
    assert any(ev["text"] for h in hops for ev in h["evidence"])
    for kind in ("communities", "central", "timeline", "cooccurrence", "cocitation"):
        out = run(["analyze", kind, "--json", "--top", "5"], lib)
        assert out.exit_code == 0, out.output
        assert json.loads(out.output)
    gexf = run(["export", "gexf", "--view", "cooccurrence", "--min-weight", "2"], lib)
    assert gexf.exit_code == 0 and "<gexf" in gexf.output
