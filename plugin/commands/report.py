"""``deskdraft report WORKBOOK.xlsx [--sheet S] [--range A1:F200] --out report.xlsx|.docx|.md``"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from connectors.document import Document
from connectors.errors import BadInputError


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "report",
        help="analyse a workbook's tables and write a report (.xlsx, .docx or .md)",
        description="Statistics, group-bys, trends, top/bottom rows and outliers are computed "
        "by code, and so is the narrative, from those facts (with --model-narrative the model "
        "tries first; its text is kept only when it passes the checks against the facts).",
    )
    parser.add_argument(
        "workbook",
        help="an .xlsx/.xlsm file, or a document JSON file as the "
        'Excel pane sends it ({"document": {...}})',
    )
    parser.add_argument("--sheet", help="analyse only this sheet")
    parser.add_argument(
        "--range",
        dest="cell_range",
        metavar="A1:F200",
        help="analyse this range (first row = header) of --sheet or the first visible sheet",
    )
    parser.add_argument(
        "--out",
        action="append",
        type=Path,
        metavar="FILE",
        help="report file; .xlsx, .docx or .md (repeat for several). Default: "
        "all three under the data dir's outputs/",
    )
    parser.add_argument(
        "--top",
        type=int,
        default=None,
        metavar="N",
        help="top and bottom N rows to list (default 5)",
    )
    parser.add_argument("--title", help="report title")
    narrative = parser.add_mutually_exclusive_group()
    narrative.add_argument(
        "--model-narrative",
        action="store_true",
        help="let the model write the narrative (checked against the "
        "facts; the code-written one when it fails)",
    )
    narrative.add_argument(
        "--no-model",
        action="store_true",
        help="do not load the model (the default now; kept for scripts)",
    )
    parser.add_argument("--json", action="store_true", help="print the draft as JSON")
    parser.set_defaults(func=run)


def load_document(source: str) -> Document:
    """The workbook as a document: through the file connector, or from pane JSON."""
    path = Path(source).expanduser()
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadInputError(f"cannot read the document JSON: {exc}", item=source) from None
        record = data.get("document", data) if isinstance(data, dict) else None
        if not isinstance(record, dict):
            raise BadInputError('expected a JSON object with a "document"', item=source)
        record.setdefault("source", str(path))
        return Document.from_json(record)
    from connectors.base import ItemError, open_source
    from plugin.config import settings

    with open_source(source, settings().source_options(source)) as connector:
        for item in connector.iter_documents():
            if isinstance(item, ItemError):
                raise BadInputError(item.error, item=item.source)
            return item
    raise BadInputError("no workbook found", item=source)


def run(args: argparse.Namespace) -> int:
    from plugin.drafts.report.build import ReportDraft

    document = load_document(args.workbook)
    options: dict[str, Any] = {
        "sheet": args.sheet,
        "range": args.cell_range,
        "top_n": args.top,
        "title": args.title,
        "narrative": "model" if args.model_narrative else "facts",
    }
    if args.out:
        options["out"] = [str(p) for p in args.out]
    engine = None
    if args.model_narrative:
        from plugin.engine.runtime import get_engine

        engine = get_engine()
    draft = ReportDraft(engine).draft([document], options)[0]
    if args.json:
        print(json.dumps(draft.to_json(), ensure_ascii=False, default=str))
        return 0
    print(draft.text)
    for fmt, path in draft.data["files"].items():
        print(f"wrote {fmt}: {path}", file=sys.stderr)
    for reason in draft.data["skipped"]:
        print(f"not analysed: {reason}", file=sys.stderr)
    checked = "verified against the computed facts" if draft.verified else "NOT verified"
    print(f"narrative: {draft.data['path']}, {checked}", file=sys.stderr)
    return 0
