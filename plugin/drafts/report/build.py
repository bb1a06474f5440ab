"""``report``: analyse a workbook's tables and write the findings as .xlsx, .docx or .md.

Options (CLI flags and job options alike):

* ``sheet``, ``range``: which table to analyse (default: the largest tables with numbers);
* ``out``: a path or list of paths; the suffix picks the format. Without it the report is
  written in every format in ``formats`` (default all three) under
  ``data_dir()/outputs/<content id>/``;
* ``top_n``: how many top and bottom rows to list (default 5);
* ``narrative``: ``"facts"`` (default) writes the narrative from the computed facts by
  code; ``"model"`` lets the model try first (kept only when it passes the checks). The
  model's text was kept for 3 of 9 sampled workbooks, all the same trivial chart fixture,
  so it is opt-in (docs/reports.md). ``False``/``True`` are the older spellings;
* ``title``: the report title.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from connectors.document import Document, content_id
from connectors.errors import UsageError
from plugin.config import data_dir
from plugin.drafts.base import Draft, DraftKind
from plugin.drafts.report.analysis import DEFAULT_TOP_N, analyze_document
from plugin.drafts.report.findings import ReportContent, build_content
from plugin.drafts.report.narrative import attribute, write_narrative
from plugin.drafts.report.to_docx import write_docx
from plugin.drafts.report.to_md import write_md
from plugin.drafts.report.to_xlsx import layout, pane_chart, write_xlsx

FORMATS = ("xlsx", "docx", "md")
_SUFFIXES = {".xlsx": "xlsx", ".docx": "docx", ".md": "md", ".markdown": "md"}


def output_paths(document: Document, options: Mapping[str, Any]) -> dict[str, Path]:
    """Format -> path for each file to write."""
    out = options.get("out")
    if out:
        paths: dict[str, Path] = {}
        for item in [out] if isinstance(out, str | Path) else list(out):
            path = Path(item).expanduser()
            fmt = _SUFFIXES.get(path.suffix.lower())
            if fmt is None:
                kind = path.suffix or "a file without a suffix"
                raise UsageError(
                    f"cannot write a report as {kind}",
                    item=str(path),
                    hint="use .xlsx, .docx or .md",
                )
            source = source_workbook(document)
            if source is not None and path.resolve() == source.resolve():
                raise UsageError(
                    "the report would overwrite the input workbook",
                    item=str(path),
                    hint="choose another --out file",
                )
            paths[fmt] = path.resolve()
        return paths
    formats = options.get("formats") or FORMATS
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(
            f"unknown report format(s): {', '.join(unknown)}", hint=f"known: {', '.join(FORMATS)}"
        )
    folder = (
        data_dir()
        / "outputs"
        / content_id(
            document.id, options.get("sheet"), options.get("range"), str(options.get("top_n"))
        )
    )
    return {fmt: folder / f"report.{fmt}" for fmt in formats}


def source_workbook(document: Document) -> Path | None:
    """The workbook file the document came from, when there is one to copy."""
    source = document.source.removeprefix("file://")
    path = Path(source)
    return path if path.suffix.lower() in {".xlsx", ".xlsm"} and path.is_file() else None


def pane_sheet(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows padded to a rectangle, as Excel's ``Range.values`` needs; text that Excel would
    read as a formula is marked as text."""
    width = max((len(r) for r in rows), default=0)
    out: list[list[Any]] = []
    for row in rows:
        cells = [
            f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" and len(v) > 1 else v for v in row
        ]
        out.append(cells + [""] * (width - len(cells)))
    return out


NARRATIVE_MODES = ("facts", "model")


def narrative_mode(options: Mapping[str, Any]) -> str:
    """Who writes the narrative: ``facts`` (code, the default) or ``model`` (opt-in)."""
    raw = options.get("narrative", "facts")
    mode = {False: "facts", True: "model"}.get(raw, raw) if isinstance(raw, bool) else raw
    if mode not in NARRATIVE_MODES:
        raise UsageError(f"option 'narrative' must be 'facts' or 'model', not {raw!r}")
    return str(mode)


class ReportDraft(DraftKind):
    name: ClassVar[str] = "report"
    # Code writes the narrative unless a job asks for the model's (``narrative = "model"``);
    # the analysis never uses it.
    needs_model: ClassVar[bool] = False

    @classmethod
    def uses_model(cls, options: Mapping[str, Any]) -> bool:
        return narrative_mode(options) == "model"

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        return [self.draft_one(document, options) for document in documents]

    def draft_one(self, document: Document, options: Mapping[str, Any]) -> Draft:
        started = time.perf_counter()
        top_n = int(options.get("top_n") or DEFAULT_TOP_N)
        analysis = analyze_document(document, options.get("sheet"), options.get("range"), top_n)
        content: ReportContent = build_content(analysis, options.get("title"))
        engine = self.engine if narrative_mode(options) == "model" else None
        narrative = write_narrative(engine, content)
        files: dict[str, str] = {}
        for fmt, path in output_paths(document, options).items():
            if fmt == "xlsx":
                write_xlsx(content, narrative.text, path, source_workbook(document))
            elif fmt == "docx":
                write_docx(content, narrative.text, path)
            else:
                write_md(content, narrative.text, path)
            files[fmt] = str(path)
        lay = layout(content, narrative.text)
        facts = content.facts_text()
        data = {
            "source": document.source,
            "title": content.title,
            "summary": narrative.text,
            "path": narrative.path,
            "findings": [f.to_json() for f in content.findings],
            "tables": [t.to_json() for t in content.tables],
            "facts": facts,
            "files": files,
            "sheet": pane_sheet(lay.rows),
            "chart": pane_chart(lay),
            "skipped": list(analysis.skipped),
            "attempts": narrative.attempts,
            "elapsed_ms": round((time.perf_counter() - started) * 1000),
        }
        return Draft(
            kind=self.name,
            text=narrative.text,
            data=data,
            attributions=attribute(narrative.text, facts, document.id),
            verified=narrative.verified,
            model=narrative.model,
        )
