"""Zip bombs and entity declarations are refused before anything is inflated or parsed."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from connectors.docx import read_docx
from connectors.errors import BadInputError
from connectors.xlsx import read_xlsx
from connectors.ziplimits import Limits, resolve_limits
from plugin.config import settings


def _workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Amount"])
    wb.active.append(["a", 1])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _add_member(data: bytes, name: str, payload: bytes) -> bytes:
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, payload)
    return buffer.getvalue()


def test_real_zip_bomb_is_refused_quickly_without_inflating() -> None:
    # 200 MB of zeros deflates to ~200 KB: a ratio of ~1000x
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_workbook_bytes())) as src,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in src.infolist():
            out.writestr(item, src.read(item))
        with out.open("xl/media/bomb.bin", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    tracemalloc.start()
    started = time.process_time()
    with pytest.raises(BadInputError, match="zip bomb"):
        read_xlsx(io.BytesIO(buffer.getvalue()), "bomb.xlsx", {})
    elapsed = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024  # nothing near the 200 MB was ever inflated


def _lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """Rewrite the central directory so ``member`` claims ``declared`` uncompressed bytes."""
    blob = bytearray(data)
    name = member.encode()
    pos = blob.find(b"PK\x01\x02" + b"")
    while pos != -1:
        name_len = struct.unpack_from("<H", blob, pos + 28)[0]
        if bytes(blob[pos + 46 : pos + 46 + name_len]) == name:
            struct.pack_into("<I", blob, pos + 24, declared)
        pos = blob.find(b"PK\x01\x02", pos + 4)
    return bytes(blob)


def test_declared_total_size_over_the_limit_is_refused() -> None:
    data = _lie_about_size(_workbook_bytes(), "xl/styles.xml", 0xFFFFFFF0)
    with pytest.raises(BadInputError, match=r"more than 200 MB uncompressed"):
        read_xlsx(io.BytesIO(data), "big.xlsx", {})


def test_limits_are_configurable_through_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESKDRAFT_LIMITS_ZIP_MAX_UNCOMPRESSED_MB", "0.001")
    settings.cache_clear()
    options = settings().source_options("/tmp/x.xlsx")
    assert resolve_limits(options).zip_max_uncompressed_mb == 0.001
    with pytest.raises(BadInputError, match="zip bomb"):
        read_xlsx(io.BytesIO(_workbook_bytes()), "small.xlsx", options)


def test_ratio_limit() -> None:
    data = _add_member(_workbook_bytes(), "xl/media/zeros.bin", b"\0" * (3 << 20))
    with pytest.raises(BadInputError, match=r"expands \d+x"):
        read_xlsx(io.BytesIO(data), "r.xlsx", {"limits": Limits(zip_max_ratio=50)})
    # the same file is fine with a higher ratio
    doc = read_xlsx(io.BytesIO(data), "r.xlsx", {"limits": Limits(zip_max_ratio=10_000)})
    assert doc.sheets[0].n_rows == 2


def test_entity_bomb_in_a_generated_docx_is_refused(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "bomb.docx"
    document = docx.Document()
    document.add_paragraph("hello")
    document.save(path)
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    )
    data = _add_member(path.read_bytes(), "customXml/item9.xml", bomb)
    with pytest.raises(BadInputError, match="declares XML entities"):
        read_docx(io.BytesIO(data), "bomb.docx", {})


def test_ole_container_is_reported_as_encrypted() -> None:
    with pytest.raises(BadInputError, match="encrypted or password-protected"):
        read_docx(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "p.docx", {})


def test_row_and_cell_limits() -> None:
    wb = openpyxl.Workbook()
    for i in range(50):
        wb.active.append([i, i * 2, i * 3])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(BadInputError, match="rows"):
        read_xlsx(io.BytesIO(buffer.getvalue()), "rows.xlsx", {"limits": {"xlsx_max_rows": 10}})
    with pytest.raises(BadInputError, match="cells"):
        read_xlsx(io.BytesIO(buffer.getvalue()), "cells.xlsx", {"limits": {"xlsx_max_cells": 100}})
    assert read_xlsx(io.BytesIO(buffer.getvalue()), "ok.xlsx", {}).sheets[0].n_rows == 50
