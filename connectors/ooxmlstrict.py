"""ISO/IEC 29500 Strict Office files read as Transitional ones.

Word and Excel write Strict Open XML ("Strict Open XML Document/Spreadsheet") with the
``http://purl.oclc.org/ooxml/…`` namespaces and relationship types. The readers
(python-docx, the streaming xlsx reader) know the Transitional
``http://schemas.openxmlformats.org/…/2006/…`` ones; the element vocabulary is the same,
so a package is read by mapping every Strict URI to its Transitional twin, part by part,
in memory, after the package passed the zip and XML checks of ``connectors.ziplimits``.
"""

from __future__ import annotations

import io
import re
import zipfile

_STRICT_MARK = b"http://purl.oclc.org/ooxml/"
_STRICT_URI = re.compile(
    rb"http://purl\.oclc\.org/ooxml/(officeDocument/relationships|[A-Za-z]+/[A-Za-z]+)"
    rb"(/[A-Za-z]+)?"
)
# Strict camelCase names whose Transitional twins are hyphenated
_RENAMED = {
    b"extendedProperties": b"extended-properties",
    b"customProperties": b"custom-properties",
}
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def _transitional_uri(match: re.Match[bytes]) -> bytes:
    base, rest = match.group(1), match.group(2) or b""
    if base == b"officeDocument/relationships":
        kind = rest[1:]
        return b"http://schemas.openxmlformats.org/officeDocument/2006/relationships" + (
            b"/" + _RENAMED.get(kind, kind) if kind else b""
        )
    area, name = base.split(b"/", 1)
    return b"http://schemas.openxmlformats.org/%s/2006/%s%s" % (
        area,
        _RENAMED.get(name, name),
        rest,
    )


def to_transitional(xml: bytes) -> bytes:
    """One package part with its Strict namespaces and relationship types mapped."""
    return _STRICT_URI.sub(_transitional_uri, xml) if _STRICT_MARK in xml else xml


def is_strict(archive: zipfile.ZipFile) -> bool:
    """Whether the package's main relationship is a Strict one (``_rels/.rels``)."""
    try:
        return _STRICT_MARK in archive.read("_rels/.rels")
    except KeyError:
        return False


def transitional_package(archive: zipfile.ZipFile) -> io.BytesIO:
    """An in-memory copy of a Strict package with every XML part mapped to Transitional.
    The archive must already have passed ``ziplimits.open_checked_zip``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.lower().endswith(_XML_SUFFIXES):
                data = to_transitional(data)
            copy.writestr(info.filename, data)
    out.seek(0)
    return out
