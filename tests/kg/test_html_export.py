"""The HTML export: escaping of hostile source text, the node cap, and a real browser run.

The browser tests run headless Chromium when /usr/bin/chromium exists and skip otherwise.
"""

from __future__ import annotations

import html
import json
import re
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.export import export_graph
from kg.export.html import generate_html, graph_payload, script_json
from kg.export.layout import force_layout

REPO = Path(__file__).resolve().parents[2]
SEED_PAGE = REPO.parent / "shared" / "fixtures" / "seed_page.txt"
CHROMIUM = Path("/usr/bin/chromium")

IMG_PAYLOAD = "<img src=x onerror=\"document.title='PWNED'\">"
SCRIPT_PAYLOAD = "</script><script>document.title='PWNED'</script>"
DATA_BLOCK = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>',
                        re.DOTALL)


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("doc:evil", type="document", label=IMG_PAYLOAD + SCRIPT_PAYLOAD,
               url="javascript:alert(1)", source="evil.html")
    g.add_node("concept:c", type="concept", label="c\u2028<!--", definition=SCRIPT_PAYLOAD)
    g.add_edge("doc:evil", "concept:c", key="mentions", type="mentions", count=1,
               evidence=[{"doc": "doc:evil", "passage": 0, "start": 0, "end": 5,
                          "text": SCRIPT_PAYLOAD + " & <b>bold</b>"}])
    return g


def split_page(page: str) -> tuple[str, str]:
    """The JSON data block and the page with that block taken out."""
    match = DATA_BLOCK.search(page)
    assert match, "no graph-data block"
    return match.group(1), page[:match.start(1)] + page[match.end(1):]


@given(st.text())
def test_script_json_reads_back_and_cannot_close_the_element(text: str) -> None:
    out = script_json({"t": text})
    assert json.loads(out) == {"t": text}
    assert not set(out) & {"<", ">", "&", "\u2028", "\u2029"}


def test_hostile_text_stays_inside_the_json_block() -> None:
    page = generate_html(hostile_graph())
    block, rest = split_page(page)
    assert "</script" not in block.lower() and "<!--" not in block
    assert "<img" not in rest.lower() and "onerror" not in rest and "PWNED" not in rest
    data = json.loads(block)
    assert data["nodes"][0]["label"] == IMG_PAYLOAD + SCRIPT_PAYLOAD or \
        data["nodes"][1]["label"] == IMG_PAYLOAD + SCRIPT_PAYLOAD
    assert data["edges"][0]["ev"][0]["text"].startswith(SCRIPT_PAYLOAD)
    assert data["docs"]["doc:evil"]["url"] == "javascript:alert(1)"  # the viewer will not link it


def test_page_is_self_contained_and_locked_down() -> None:
    page = generate_html(hostile_graph())
    _, rest = split_page(page)
    assert ("Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
            "style-src 'unsafe-inline'; img-src data:") in rest
    assert "://" not in rest  # no URL of any kind outside the data
    assert not re.search(r"\s(src|href)=", rest)
    assert "innerHTML" not in rest and "insertAdjacentHTML" not in rest and "eval(" not in rest
    assert rest.count("<script") == 3  # error hook, data block, viewer


def test_the_most_connected_nodes_are_kept_and_the_rest_announced() -> None:
    g = nx.MultiDiGraph()
    for hub in range(5):
        for leaf in range(30):
            g.add_edge(f"h{hub}", f"l{hub}-{leaf}", key="mentions", type="mentions", count=1)
    data = graph_payload(g, max_nodes=20)
    ids = {n["id"] for n in data["nodes"]}
    assert len(ids) == 20 and {f"h{i}" for i in range(5)} <= ids
    assert all(0 <= e["s"] < 20 and 0 <= e["t"] < 20 for e in data["edges"])
    assert data["meta"]["shown_nodes"] == 20 and data["meta"]["total_nodes"] == 155
    assert "135 nodes" in data["meta"]["note"] and "left out" in data["meta"]["note"]


def test_layout_is_deterministic_finite_and_spread() -> None:
    edges = [(i, (i * 7 + 3) % 200) for i in range(200)] + [(0, i) for i in range(1, 60)]
    first, second = force_layout(200, edges, iterations=40), force_layout(200, edges, iterations=40)
    assert first == second
    xs, ys = [p[0] for p in first], [p[1] for p in first]
    assert all(abs(v) < 1e6 for v in xs + ys)
    assert len({(round(x, 2), round(y, 2)) for x, y in first}) == 200  # no two nodes on one spot
    assert force_layout(0, []) == [] and len(force_layout(1, [])) == 1


# -- headless Chromium ----------------------------------------------------------------------

def png_pixels(path: Path) -> tuple[int, int, int, bytes]:
    """Width, height, bytes per pixel and the unfiltered rows of an 8-bit RGB(A) PNG."""
    blob = path.read_bytes()
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(blob):
        length, kind = struct.unpack(">I4s", blob[pos:pos + 8])
        body = blob[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour_type in (2, 6)
            channels = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    out, prev = bytearray(), bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = prev[x], prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line
        prev = line
    return width, height, channels, bytes(out)


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A small window keeps the pure-Python PNG decoding below quick.
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--window-size=720,480", "--enable-logging=stderr",
             "--v=0"]
    return subprocess.run([str(CHROMIUM), *flags, *args], capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.fixture(scope="module")
def seeded_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The HTML export of a library holding the starter pack, the seed page and a hostile page."""
    if not CHROMIUM.exists():
        pytest.skip("headless browser tests need /usr/bin/chromium (apt-get install chromium)")
    if not SEED_PAGE.exists():
        pytest.skip(f"{SEED_PAGE} is absent")
    from kg import Library

    folder = tmp_path_factory.mktemp("browser")
    evil = folder / "evil.html"
    escaped = html.escape(IMG_PAYLOAD + SCRIPT_PAYLOAD, quote=False)
    evil.write_text(f"<html><head><title>{escaped}</title></head><body><p>The working alliance "
                    f"{escaped} was framed by Bordin (1979) as goals, tasks and bond.</p>"
                    "</body></html>", encoding="utf-8")
    lib = Library.open(folder / "lib")
    try:
        lib.add([str(SEED_PAGE), str(evil)])
        g = lib.graph()
        out = folder / "graph.html"
        export_graph(g, "html", out)
    finally:
        lib.close()
    return out, g


def hostile_edge(g: nx.MultiDiGraph) -> tuple[str, str, str]:
    for u, v, k, d in g.edges(keys=True, data=True):
        if any("PWNED" in e.get("text", "") for e in d.get("evidence") or []) and \
                "PWNED" in str(g.nodes[u].get("label")):
            return u, v, k
    pytest.fail("the hostile page produced no edge with its sentence as evidence")


def test_browser_draws_the_graph_and_never_runs_injected_markup(seeded_page: tuple[Path, Any],
                                                                 tmp_path: Path) -> None:
    page, g = seeded_page
    u, v, k = hostile_edge(g)
    url = f"{page.as_uri()}#edge={u}|{v}|{k}"
    run = chromium(tmp_path / "profile", "--dump-dom", url)
    dom = run.stdout
    body = re.search(r"<body([^>]*)>", dom)
    assert body, run.stderr[-2000:]
    assert 'data-error' not in body.group(1), body.group(1)
    drawn = re.search(r'data-drawn="(\d+)"', body.group(1))
    assert drawn and int(drawn.group(1)) == min(g.number_of_nodes(), 2000)
    assert "<title>litkg graph</title>" in dom and "PWNED</title>" not in dom
    card = dom[dom.index('id="card"'):dom.index('id="note"')]
    assert "&lt;/script&gt;&lt;script&gt;document.title='PWNED'" in card  # shown as text
    assert "<img" not in card and "<script" not in card
    assert "Uncaught" not in run.stderr and "Refused to load" not in run.stderr


def test_browser_screenshot_is_not_blank(seeded_page: tuple[Path, Any], tmp_path: Path) -> None:
    page, _ = seeded_page
    shot = tmp_path / "shot.png"
    run = chromium(tmp_path / "profile", f"--screenshot={shot}", page.as_uri())
    assert shot.exists(), run.stderr[-2000:]
    width, height, channels, pixels = png_pixels(shot)
    # The canvas fills the left of the page below the header; sample it and count coloured pixels.
    coloured = 0
    for y in range(60, height - 10, 3):
        for x in range(10, int(width * 0.6), 3):
            r, gr, b = pixels[(y * width + x) * channels:(y * width + x) * channels + 3]
            coloured += max(r, gr, b) - min(r, gr, b) > 60  # saturated: a node, not grey or white
    assert coloured > 200, f"only {coloured} coloured samples: the canvas looks blank"
