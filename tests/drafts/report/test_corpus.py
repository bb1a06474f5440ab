"""The reporter over every workbook in ``../shared/corpus/xlsx``: each one gives a report or
a clear reason, never a crash. Analysis and Markdown only, without the model, to stay fast."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

from connectors.base import ItemError, open_source
from connectors.document import Document
from connectors.errors import BadInputError, DeskdraftError
from plugin.drafts.report.build import ReportDraft
from plugin.drafts.text.verify import check
from tests.conftest import SHARED

XLSX_DIR = SHARED / "corpus" / "xlsx"
WORKBOOKS = sorted(p.name for p in XLSX_DIR.glob("*.xls*")) if XLSX_DIR.is_dir() else []
#: Workbooks with a real numeric table: these must give a report, not a reason.
MUST_REPORT = {"xlsxwriter-autofilter00.xlsx", "poi-ConditionalFormattingSamples.xlsx",
               "poi-simple-monthly-budget.xlsx", "xlsxwriter-outline01.xlsx",
               "poi-WithChartSheet.xlsx", "xlsxwriter-chart_date01.xlsx"}


def _read(path: Path) -> Document | ItemError:
    with open_source(str(path)) as connector:
        items = list(connector.iter_documents())
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize("name", WORKBOOKS or ["(corpus absent)"])
def test_every_corpus_workbook_gives_a_report_or_a_reason(name: str, corpus_dir: Path,
                                                         tmp_path: Path) -> None:
    path = corpus_dir / "xlsx" / name
    item = _read(path)
    if isinstance(item, ItemError):
        assert item.source == str(path) and len(item.error) > 10
        assert name not in MUST_REPORT
        return
    out = tmp_path / "report.md"
    try:
        draft = ReportDraft(None).draft([item], {"out": str(out)})[0]
    except DeskdraftError as exc:
        assert isinstance(exc, BadInputError), exc
        assert exc.item == str(path)
        assert exc.message in {"no table with numeric columns found"} or (
            exc.message.startswith("no table found")), exc.message
        assert name not in MUST_REPORT, exc
        return
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
    ws = load_workbook(path, read_only=True).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    region, volume = header.index("Region"), header.index("Volume")
    expected: dict[str, float] = defaultdict(float)
    for row in rows[1:]:
        if row[region] is not None:
            expected[row[region]] += row[volume]
    item = _read(path)
    assert isinstance(item, Document)
    draft = ReportDraft(None).draft([item], {"formats": ["md"]})[0]
    group = next(f for f in draft.data["findings"]
                 if f["kind"] == "group" and f["values"]["by"] == "Region"
                 and f["values"]["measure"] == "Volume")
    assert group["values"]["totals"] == pytest.approx(dict(expected))
