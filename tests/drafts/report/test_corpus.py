"""The reporter over every workbook in ``../shared/corpus/xlsx``: each one gives a report or
its pinned reason (``corpus_refusals.py``), never a crash. Analysis and Markdown only, without
the model, to stay fast."""

from __future__ import annotations

import warnings
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

from connectors.base import ItemError, open_source
from connectors.document import Document
from connectors.errors import BadInputError
from plugin.drafts.report.build import ReportDraft
from plugin.drafts.text.verify import check
from tests.conftest import SHARED
from tests.drafts.report.corpus_refusals import READER_REFUSES, REPORTER_REFUSES

XLSX_DIR = SHARED / "corpus" / "xlsx"
WORKBOOKS = sorted(p.name for p in XLSX_DIR.glob("*.xls*")) if XLSX_DIR.is_dir() else []


def _read(path: Path) -> Document | ItemError:
    with open_source(str(path)) as connector:
        items = list(connector.iter_documents())
    assert len(items) == 1
    return items[0]


def _numeric_cells(path: Path) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on features it drops, while reading
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            return sum(
                1
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
                for cell in row
                if isinstance(cell, int | float) and not isinstance(cell, bool)
            )
        finally:
            workbook.close()


def test_the_pins_name_corpus_workbooks(corpus_dir: Path) -> None:
    present = {p.name for p in (corpus_dir / "xlsx").glob("*.xls*")}
    assert set(READER_REFUSES) <= present and set(REPORTER_REFUSES) <= present
    assert len(present) - len(READER_REFUSES) - len(REPORTER_REFUSES) >= 70


@pytest.mark.parametrize("name", WORKBOOKS or ["(corpus absent)"])
def test_every_corpus_workbook_gives_a_report_or_its_pinned_reason(
    name: str, corpus_dir: Path, tmp_path: Path
) -> None:
    path = corpus_dir / "xlsx" / name
    item = _read(path)
    if isinstance(item, ItemError):
        assert name in READER_REFUSES, f"{name} was refused: {item.error}"
        assert item.source == str(path) and READER_REFUSES[name][1] in item.error, item.error
        return
    assert name not in READER_REFUSES, f"{name} was read, but is pinned as refused"
    out = tmp_path / "report.md"
    if name in REPORTER_REFUSES:
        with pytest.raises(BadInputError) as refused:
            ReportDraft(None).draft([item], {"out": str(out)})
        assert (refused.value.item, refused.value.message) == (str(path), REPORTER_REFUSES[name])
        # The reason holds: no workbook refused this way has a numeric table in it.
        assert _numeric_cells(path) < 10
        return
    draft = ReportDraft(None).draft([item], {"out": str(out)})[0]
    text = out.read_text(encoding="utf-8")
    assert "## Findings" in text and draft.text in text
    assert draft.data["findings"] and draft.data["path"] == "extractive"
    result = check(draft.text, draft.data["facts"])
    assert result.ok == draft.verified
    # When the checker cannot read a token (cell text like "75:23:53"), it is still copied
    # from the facts verbatim: nothing in the narrative comes from anywhere else.
    assert all(token in draft.data["facts"] for token in result.unsupported)


def test_group_by_on_a_real_workbook_matches_openpyxl(corpus_dir: Path) -> None:
    """xlsxwriter's autofilter sample: Volume by Region, summed independently."""
    path = corpus_dir / "xlsx" / "xlsxwriter-autofilter00.xlsx"
    workbook = load_workbook(path, read_only=True)
    try:
        assert workbook.active is not None
        rows = list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()
    header = list(rows[0])
    region, volume = header.index("Region"), header.index("Volume")
    expected: dict[str, float] = defaultdict(float)
    for row in rows[1:]:
        if row[region] is not None:
            expected[row[region]] += row[volume]
    item = _read(path)
    assert isinstance(item, Document)
    draft = ReportDraft(None).draft([item], {"formats": ["md"]})[0]
    group = next(
        f
        for f in draft.data["findings"]
        if f["kind"] == "group"
        and f["values"]["by"] == "Region"
        and f["values"]["measure"] == "Volume"
    )
    assert group["values"]["totals"] == pytest.approx(dict(expected))
