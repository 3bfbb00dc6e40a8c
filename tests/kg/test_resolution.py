"""One work is one node, one person is one node, across sources and forms."""

from __future__ import annotations

from pathlib import Path

from kg import Library

PAGE = "Alliance at scale\n\nAs Kellerman (2015) showed, the working alliance can be measured reliably [1].\n"
REVIEW = """A review of alliance measurement

Large services now track the bond weekly (Kellerman, 2015; Bordin, 1979).

References

1. Kellerman, A. (2015). Alliance at scale: Measuring the bond in large services. Journal of
Service Psychology, 3(2), 1-10.
2. Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the working
alliance. Psychotherapy: Theory, Research & Practice, 16(3), 252-260.
"""
REFS = "Kellerman A. Alliance at scale: measuring the bond in large services. J Serv Psychol. 2015;3(2):1-10.\n"


def test_one_work_reached_three_ways_is_one_node(library: Library, tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(PAGE)
    (tmp_path / "review.txt").write_text(REVIEW)
    (tmp_path / "pasted.refs").write_text(REFS)
    report = library.add([str(tmp_path / "page.txt"), str(tmp_path / "review.txt"),
                          str(tmp_path / "pasted.refs")])
    assert not report.failed
    g = library.graph()
    works = [n for n, d in g.nodes(data=True)
             if d.get("type") == "work" and (d.get("authors") or [""])[0] == "Kellerman"]
    assert works == ["work:kellerman-2015"]
    citing = {g.nodes[u]["source"] for u, _, k in g.in_edges("work:kellerman-2015", keys=True)
              if k == "cites"}
    assert {Path(s).name for s in citing} == {"page.txt", "review.txt", "pasted.refs"}
    assert g.nodes["work:kellerman-2015"]["title"].startswith("Alliance at scale")
    # The numbered marker resolves to the entry of the review's own list.
    review = next(n for n, d in g.nodes(data=True) if str(d.get("source", "")).endswith("review.txt"))
    assert g.has_edge(review, "work:bordin-1979", key="cites")


def test_person_forms_are_one_node(library: Library, tmp_path: Path) -> None:
    text = ("Forms\n\nEdward S. Bordin proposed the model. E. S. Bordin (1994) revisited it, "
            "and Bordin (1979) is the classic statement.\n")
    (tmp_path / "forms.txt").write_text(text)
    library.add([str(tmp_path / "forms.txt")])
    g = library.graph()
    bordins = [n for n, d in g.nodes(data=True) if d.get("type") == "person"
               and d.get("surname") == "Bordin"]
    assert bordins == ["person:bordin"]


def test_two_people_with_one_surname_stay_ambiguous(library: Library, tmp_path: Path) -> None:
    text = """Two Millers

Motivational interviewing grew from Miller's work, while feedback came later.

References

Miller, W. R. (1983). Motivational interviewing with problem drinkers. Behavioural Psychotherapy, 11(2), 147-172.
Miller, S. D., Duncan, B. L., Brown, J., Sparks, J. A., & Claud, D. A. (2003). The Outcome Rating Scale. Journal of Brief Therapy, 2(2), 91-100.
"""
    (tmp_path / "millers.txt").write_text(text)
    library.add([str(tmp_path / "millers.txt")])
    g = library.graph()
    millers = sorted(n for n, d in g.nodes(data=True) if d.get("type") == "person"
                     and d.get("surname") == "Miller")
    assert "person:miller" in millers and len(millers) >= 3
    assert g.nodes["person:miller"]["ambiguous"] is True
    card = library.author("Miller")
    assert card["ambiguous"] and len(card["candidates"]) >= 2


def test_surname_keys_and_ids_fold_alike(library: Library, tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("Nordic\n\nAs Tønning (2019) found, the bond matters in therapy.\n")
    library.add([str(tmp_path / "page.txt")])
    card = library.author("Tønning")
    assert [w["id"] for w in card["works"]] == ["work:tonning-2019"]
