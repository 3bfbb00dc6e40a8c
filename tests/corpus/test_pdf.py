"""PDF import on PDFs written by the test itself: text layer, running heads, hyphens, errors."""

from __future__ import annotations

import io

import pytest

from corpus.errors import SourceError
from corpus.formats import detect, parse_bytes
from corpus.pdf import rebuild_text

pypdf = pytest.importorskip("pypdf")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], title: str = "") -> bytes:
    """A PDF with one Helvetica text line per entry, top to bottom, on each page."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 "
               "/BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 10 Tf", "12 TL", "50 780 Td"]
        for line in lines:
            ops.append(f"({_escape(line)}) Tj T*" if line else "T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode('latin-1')}\n"
                       "endstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents "
                       f"{len(objects)} 0 R /Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    trailer_info = ""
    if title:
        objects.append(f"<< /Title ({_escape(title)}) /Author (Jane Doe and Ann Roe) >>")
        trailer_info = f" /Info {len(objects)} 0 R"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{trailer_info} >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def article_pages() -> list[list[str]]:
    body = [
        ["A Study of Invented Things", "", "Jane Doe and Ann Roe", "",
         "This opening paragraph is long enough to look like a line of prose and it",
         "continues on the next line where a word is hyphen-",
         "ated across the break before the sentence ends here.",
         "A second paragraph starts here and runs on for a while across the page,",
         "ending after a short line."],
        ["The third paragraph continues the argument at some length, line after line,",
         "with more words than any heading would ever have in a real article page.",
         "It ends."],
        ["References", "Doe, J. (2001). An earlier study. Journal of Tests, 1, 2-3.",
         "Roe, A. (1999). Another study. Journal of Tests, 2, 4-5."],
    ]
    return [["Journal of Tests 12 (2020)", *lines, f"Page {n}"] for n, lines in
            enumerate(body, 1)]


def test_text_is_cleaned_into_paragraphs() -> None:
    data = make_pdf(article_pages(), title="A Study of Invented Things")
    (doc,) = parse_bytes(data, "paper.pdf")
    assert doc.format == "pdf" and doc.title == "A Study of Invented Things"
    assert [a.family for a in doc.authors] == ["Doe", "Roe"]
    assert "Journal of Tests 12" not in doc.text and "Page 2" not in doc.text
    assert "hyphenated across the break" in doc.text
    paras = doc.text.split("\n\n")
    assert any(p.startswith("This opening paragraph") and p.endswith("sentence ends here.")
               for p in paras)
    assert any(p.startswith("A second paragraph") for p in paras)
    assert len(doc.references) == 2 and doc.references[0].year == "2001"


def test_rebuild_text_keeps_a_line_seen_on_few_pages() -> None:
    pages = [["Head", "Body one is here.", "9"], ["Head", "Body two is here.", "10"],
             ["Head", "Body three.", "11"], ["Other", "Body four.", "12"]]
    text = rebuild_text(pages)
    assert "Head" not in text and "Other" in text and "10" not in text


def test_detect_pdf() -> None:
    assert detect("paper", make_pdf([["x"]])) == "pdf"
    assert detect("paper.pdf", b"") == "pdf"


def test_encrypted_pdf_is_refused() -> None:
    reader = pypdf.PdfReader(io.BytesIO(make_pdf(article_pages())))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(SourceError, match="encrypted"):
        parse_bytes(out.getvalue(), "locked.pdf")


@pytest.mark.parametrize("data, reason", [
    (make_pdf([[], []]), "no text layer"),
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "unreadable PDF|no text layer"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "not a PDF"),
])
def test_bad_pdfs_are_one_source_error(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        parse_bytes(data, "bad.pdf")


def test_missing_pypdf_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pypdf", None)
    with pytest.raises(SourceError, match=r"litkg\[pdf\]"):
        parse_bytes(make_pdf([["x"]]), "a.pdf")
