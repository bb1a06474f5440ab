"""ISO/IEC 29500 Strict Word and Excel files read like their Transitional twins.

Twins are made independently of the reader's own mapping: the corpus's two Strict
workbooks are converted to Transitional by LibreOffice; the Strict Word files are written
here from Transitional corpus documents by a rewrite of their namespaces.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from connectors.document import Document
from connectors.docx import read_docx
from connectors.ooxmlstrict import is_strict
from connectors.xlsx import read_xlsx

#: The corpus's Strict workbooks and a line of their first sheet's text.
STRICT_WORKBOOKS = {
    "poi-SampleSS.strict.xlsx": "2nd row | 2nd row 2nd column",
    "poi-sample.strict.xlsx": "Lorem | 111",
}
WORD_DOCUMENTS = [
    "poi-heading123.docx",
    "poi-Numbering.docx",
    "mammoth-footnotes.docx",
    "mammoth-comments.docx",
    "poi-DiffFirstPageHeadFoot.docx",
]

# Transitional → Strict, written out by hand from ECMA-376 Part 1 (Strict) so that the
# test does not lean on the reader's own table
_TO_STRICT = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "http://purl.oclc.org/ooxml/wordprocessingml/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties": "http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "http://purl.oclc.org/ooxml/officeDocument/relationships",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": "http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes": "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "http://purl.oclc.org/ooxml/officeDocument/math",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/drawingml/main",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/picture": "http://purl.oclc.org/ooxml/drawingml/picture",
}
_TRANSITIONAL = re.compile("|".join(re.escape(uri) for uri in _TO_STRICT))


def _make_strict(source: Path, target: Path) -> None:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as strict:
        for info in original.infolist():
            data = original.read(info)
            if info.filename.endswith((".xml", ".rels")):
                text = data.decode("utf-8")
                data = _TRANSITIONAL.sub(lambda m: _TO_STRICT[m.group(0)], text).encode("utf-8")
            strict.writestr(info, data)


def _comparable(document: Document) -> dict[str, object]:
    record = dataclasses.asdict(document)
    for key in ("id", "source"):
        record.pop(key)
    record["metadata"] = {
        k: v for k, v in document.metadata.items() if k not in {"conformance", "sha256"}
    }
    return record


@pytest.mark.parametrize("name", WORD_DOCUMENTS)
def test_strict_word_file_reads_like_its_transitional_twin(
    name: str, corpus_dir: Path, tmp_path: Path
) -> None:
    transitional = corpus_dir / "docx" / name
    strict = tmp_path / f"strict-{name}"
    _make_strict(transitional, strict)
    with zipfile.ZipFile(strict) as archive:
        body = archive.read("word/document.xml")
        assert is_strict(archive)
    assert b"purl.oclc.org/ooxml/wordprocessingml/main" in body
    assert b"schemas.openxmlformats.org/wordprocessingml" not in body

    plain = read_docx(transitional, "twin", {})
    mapped = read_docx(strict, "twin", {})
    assert mapped.metadata["conformance"] == "strict"
    assert "conformance" not in plain.metadata
    assert mapped.text.strip()
    assert _comparable(mapped) == _comparable(plain)


@pytest.fixture(scope="module")
def transitional_twins(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "LibreOffice is required (Debian libreoffice-calc, see .ci/run)"
    out = tmp_path_factory.mktemp("twins")
    profile = tmp_path_factory.mktemp("lo-profile")
    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            *(str(corpus_dir / "xlsx" / name) for name in STRICT_WORKBOOKS),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("name", sorted(STRICT_WORKBOOKS))
def test_strict_workbook_reads_like_its_transitional_twin(
    name: str, corpus_dir: Path, transitional_twins: Path
) -> None:
    strict_path = corpus_dir / "xlsx" / name
    twin_path = transitional_twins / name
    with zipfile.ZipFile(strict_path) as archive:
        assert is_strict(archive)
    with zipfile.ZipFile(twin_path) as archive:
        assert not is_strict(archive)
        assert b"purl.oclc.org" not in archive.read("xl/workbook.xml")

    strict = read_xlsx(strict_path, name, {})
    twin = read_xlsx(io.BytesIO(twin_path.read_bytes()), name, {})
    assert strict.metadata["conformance"] == "strict"
    assert [s.name for s in strict.sheets] == [s.name for s in twin.sheets]
    for ours, theirs in zip(strict.sheets, twin.sheets, strict=True):
        assert ours.cells == theirs.cells, ours.name
        assert [(t.ref, [(c.name, c.type) for c in t.columns]) for t in ours.tables] == [
            (t.ref, [(c.name, c.type) for c in t.columns]) for t in theirs.tables
        ]
    assert strict.text == twin.text
    assert STRICT_WORKBOOKS[name] in strict.text
