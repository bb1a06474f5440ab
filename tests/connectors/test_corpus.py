"""Every real-world file in ../shared/corpus/{mail,msg,docx,xlsx} yields a document with
text (where the file has text) or a clear error record, quickly, and never an exception."""

from __future__ import annotations

import email
import re
import socket
import time
import zipfile
from pathlib import Path

import pytest

from connectors.base import ItemError
from connectors.document import Document
from connectors.files import FileConnector, MboxConnector
from tests.conftest import SHARED

CORPUS = SHARED / "corpus"
KINDS = ("mail", "msg", "docx", "xlsx")
FILES = (
    sorted(
        p
        for kind in KINDS
        for p in (CORPUS / kind).rglob("*")
        if p.is_file() and p.suffix.lower() in {".eml", ".msg", ".docx", ".xlsx", ".xlsm"}
    )
    if CORPUS.is_dir()
    else []
)
#: Without the corpus the sweep has nothing to run: say so, instead of pytest's bare
#: "got empty parameter set" skip.
SWEEP = [pytest.param(path, id=str(path.relative_to(CORPUS))) for path in FILES] or [
    pytest.param(
        None,
        id="corpus-absent",
        marks=pytest.mark.skip(
            reason=f"the real-world corpus is absent ({CORPUS}): put the shared folder beside the "
            "checkout (or set DESKDRAFT_SHARED) to run the corpus sweep"
        ),
    )
]

#: The only corpus files that may be refused, why, and the error that must say so. Any
#: other refusal fails the sweep, and so does one of these that stops being refused.
ENCRYPTED, CORRUPT, HOSTILE_XML, OVER_LIMIT = (
    "encrypted",
    "corrupt",
    "hostile XML",
    "over a limit",
)
REFUSED: dict[str, tuple[str, str]] = {
    "docx/poi-bug53475-password-is-pass.docx": (ENCRYPTED, r"encrypted or password-protected"),
    "xlsx/poi-protect.xlsx": (ENCRYPTED, r"encrypted or password-protected"),
    "xlsx/poi-protected_passtika.xlsx": (ENCRYPTED, r"encrypted or password-protected"),
    "docx/poi-clusterfuzz-testcase-minimized-POIXWPFFuzzer-6442791109263360.docx": (
        CORRUPT,
        r"not a valid Word file \(broken ZIP",
    ),
    "docx/poi-truncated62886.docx": (CORRUPT, r"not a valid Word file \(broken ZIP"),
    "msg/poi-clusterfuzz-testcase-minimized-POIHSMFFuzzer-4735011465854976.msg": (
        CORRUPT,
        r"broken Outlook \.msg file",
    ),
    "xlsx/openpyxl-null_archive.xlsx": (CORRUPT, r"no workbook part"),
    "xlsx/openpyxl-null_file.xlsx": (CORRUPT, r"empty file"),
    "xlsx/poi-clusterfuzz-testcase-minimized-POIXSSFFuzzer-5089447305609216.xlsx": (
        CORRUPT,
        r"not a valid Excel file \(broken ZIP",
    ),
    "xlsx/poi-clusterfuzz-testcase-minimized-XLSX2CSVFuzzer-5636439151607808.xlsx": (
        CORRUPT,
        r"not a valid Excel file \(broken ZIP",
    ),
    "xlsx/poi-invalid.xlsx": (CORRUPT, r"no workbook part"),
    "xlsx/poi-xlsx-corrupted.xlsx": (CORRUPT, r"not a readable Excel workbook \(XMLSyntaxError"),
    "docx/poi-ExternalEntityInText.docx": (HOSTILE_XML, r"declares XML entities"),
    "xlsx/poi-poc-xmlbomb.xlsx": (HOSTILE_XML, r"declares XML entities"),
    "mail/fixtures/mimekit/stack-overflow.eml": (OVER_LIMIT, r"too deeply nested"),
}
HOSTILE = {
    "poi-bug53475-password-is-pass.docx",
    "poi-protect.xlsx",
    "poi-protected_passtika.xlsx",
    "poi-clusterfuzz-testcase-minimized-POIXWPFFuzzer-6442791109263360.docx",
    "poi-clusterfuzz-testcase-minimized-POIXSSFFuzzer-5089447305609216.xlsx",
    "poi-clusterfuzz-testcase-minimized-XLSX2CSVFuzzer-5636439151607808.xlsx",
    "poi-clusterfuzz-testcase-minimized-POIHSMFFuzzer-4735011465854976.msg",
    "openpyxl-null_file.xlsx",
    "poi-invalid.xlsx",
    "openpyxl-null_archive.xlsx",
    "poi-truncated62886.docx",
    "poi-poc-xmlbomb.xlsx",
    "poi-ExternalEntityInText.docx",
    "poi-xxe_in_schema.xlsx",
    "poi-57893-many-merges.xlsx",
}
#: Outlook items whose only body is an S/MIME blob or that are empty by design.
MSG_WITHOUT_TEXT = {
    "poi-blank.msg",
    "simple-java-mail-SMIME__signed_and_clear_text_.msg",
    "simple-java-mail-S_MIME_test_message_encrypted.msg",
}


def _eml_has_text(path: Path) -> bool:
    """Independent check with the stdlib's legacy parser: any inline text part with words."""
    msg = email.message_from_bytes(path.read_bytes())
    for part in msg.walk():
        if part.get_content_maintype() != "text" or part.get_filename():
            continue
        if "attachment" in str(part.get("Content-Disposition", "")).lower():
            continue
        payload = part.get_payload(decode=True) or b""
        if re.search(rb"[A-Za-z\x80-\xff]{2}", re.sub(rb"<[^>]*>", b" ", payload)):
            return True
    return False


def _ooxml_has_text(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name == "word/document.xml":
                    return bool(re.search(rb"<w:t[ >][^<]*\S", archive.read(name)))
                if (
                    name.startswith("xl/worksheets/")
                    and name.endswith(".xml")
                    and re.search(rb"<(?:\w+:)?(?:v|is)>", archive.read(name))
                ):
                    return True
    except (zipfile.BadZipFile, OSError):
        return False
    return False


def _has_text(path: Path) -> bool:
    if path.suffix == ".eml":
        return _eml_has_text(path)
    if path.suffix == ".msg":
        return path.name not in MSG_WITHOUT_TEXT
    return _ooxml_has_text(path)


@pytest.mark.parametrize("path", SWEEP)
def test_corpus_file_reads_or_fails_clearly(path: Path, corpus_dir: Path) -> None:
    # CPU time: wall time on a shared test machine measures the neighbours
    started = time.process_time()
    items = list(FileConnector(str(path)).iter_documents())
    elapsed = time.process_time() - started
    assert len(items) == 1
    item = items[0]
    pinned = REFUSED.get(path.relative_to(corpus_dir).as_posix())
    if isinstance(item, ItemError):
        assert pinned, f"{path.name} was refused but is not a pinned refusal: {item.error}"
        reason, pattern = pinned
        assert re.search(pattern, item.error), f"{path.name} ({reason}): {item.error}"
        assert item.source == str(path)
        assert len(item.error) > 10 and "Traceback" not in item.error
        # broken/hostile files must be refused with a reason, not with an internal error
        assert not item.error.startswith("cannot read ("), item.error
    else:
        assert not pinned, f"{path.name} is pinned as refused ({pinned[0]}) but was read"
        assert isinstance(item, Document)
        if _has_text(path):
            assert (item.text or item.quoted).strip(), f"{path.name}: no text extracted"
        assert item.to_json()["id"] == item.id
    limit = 5.0 if path.name in HOSTILE else 15.0
    assert elapsed < limit, f"{path.name} took {elapsed:.1f}s"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access attempted by a file reader")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.mark.parametrize(
    "name", sorted(HOSTILE - {"poi-57893-many-merges.xlsx", "poi-xxe_in_schema.xlsx"})
)
def test_hostile_files_are_refused(name: str, corpus_dir: Path, no_network: list) -> None:
    path = next(corpus_dir.rglob(name))
    (item,) = FileConnector(str(path)).iter_documents()
    assert isinstance(item, ItemError)
    assert re.search(
        r"encrypted|not a valid|empty file|entities|not a readable|refused|broken", item.error
    ), item.error
    assert no_network == []


def test_entity_declarations_are_refused(corpus_dir: Path, no_network: list) -> None:
    for name in ("poi-ExternalEntityInText.docx", "poi-poc-xmlbomb.xlsx"):
        (item,) = FileConnector(str(next(corpus_dir.rglob(name)))).iter_documents()
        assert isinstance(item, ItemError)
        assert "declares XML entities" in item.error
    assert no_network == []


def test_schema_location_probe_is_not_followed(corpus_dir: Path, no_network: list) -> None:
    # the probe sits in xl/xmlMaps.xml as <xs:redefine schemaLocation="http://localhost">
    (doc,) = FileConnector(str(corpus_dir / "xlsx/poi-xxe_in_schema.xlsx")).iter_documents()
    assert isinstance(doc, Document)
    assert no_network == []
    assert "Column1" in doc.text


def test_many_merges_file_is_read_quickly(corpus_dir: Path) -> None:
    started = time.process_time()
    (doc,) = FileConnector(str(corpus_dir / "xlsx/poi-57893-many-merges.xlsx")).iter_documents()
    assert time.process_time() - started < 5
    assert isinstance(doc, Document)
    assert len(doc.sheets[0].merged) > 1000


@pytest.mark.parametrize(
    "name",
    [
        "cpython-mailbox_01.mbox",
        "mimekit-content-length.mbox",
        "mimekit-issue1189.mbox",
        "mimekit-simple.mbox",
    ],
)
def test_corpus_mbox_files(name: str, corpus_dir: Path) -> None:
    items = list(MboxConnector(f"mbox:{corpus_dir / 'mail/mbox' / name}").iter_documents())
    docs = [i for i in items if isinstance(i, Document)]
    assert docs, items
    assert all(isinstance(i, Document | ItemError) for i in items)
    assert all(d.source.startswith("mbox:") for d in docs)
    assert any(d.text or d.quoted for d in docs)
