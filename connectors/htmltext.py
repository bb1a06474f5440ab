"""HTML mail bodies to readable plain text.

Lists keep their bullets and numbers, tables become ``cell | cell`` rows, blockquotes are
prefixed with ``>`` (so the quote splitter can see them), and scripts, styles and tracking
images disappear. The walk is iterative: hostile mail nests elements thousands deep.
"""

from __future__ import annotations

import re

from lxml import etree, html

_SKIP = frozenset(
    {
        "script",
        "style",
        "head",
        "title",
        "noscript",
        "template",
        "svg",
        "object",
        "embed",
        "iframe",
        "meta",
        "link",
        "button",
        "select",
        "map",
        "xml",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "pre",
        "address",
        "center",
        "fieldset",
        "figure",
        "figcaption",
        "body",
        "html",
        "hr",
        "caption",
    }
)
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_TRACKER_SRC = re.compile(
    r"(?i)(track|pixel|beacon|open\.(?:php|gif)|/o\.gif|spacer|1x1|blank\.gif|/wf/open)"
)
_HIDDEN_STYLE = re.compile(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden")
_MAX_BLANK = re.compile(r"\n{3,}")
_TAG = re.compile(r"<[^>]*>")
_SCRIPT_STYLE = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>")
_PARSER = html.HTMLParser(
    remove_comments=True, remove_pis=True, no_network=True, default_doctype=False
)


def _is_tracking_image(el: etree._Element) -> bool:
    width, height = el.get("width", ""), el.get("height", "")
    if width.strip().rstrip("px") in {"0", "1"} or height.strip().rstrip("px") in {"0", "1"}:
        return True
    if _HIDDEN_STYLE.search(el.get("style", "")):
        return True
    return bool(_TRACKER_SRC.search(el.get("src", "")))


class _Writer:
    """Collects inline text into lines; block boundaries end the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.quote_depth = 0
        self.pre_depth = 0

    def text(self, value: str | None) -> None:
        if not value:
            return
        if self.pre_depth:
            chunks = value.split("\n")
            self.parts.append(chunks[0])
            for chunk in chunks[1:]:
                self.newline()
                self.parts.append(chunk)
            return
        value = _WS.sub(" ", value)
        if not self.parts or self.parts[-1].endswith(" "):
            value = value.lstrip()
        if value:
            self.parts.append(value)

    def newline(self) -> None:
        line = "".join(self.parts).rstrip()
        self.parts = []
        prefix = "> " * self.quote_depth
        self.lines.append(prefix + line if line else prefix.rstrip())

    def block(self) -> None:
        if self.parts and "".join(self.parts).strip():
            self.newline()
        else:
            self.parts = []

    def blank(self) -> None:
        self.block()
        if self.lines and self.lines[-1].strip("> "):
            self.lines.append("")

    def result(self) -> str:
        self.block()
        out = "\n".join(line.rstrip() for line in self.lines)
        return _MAX_BLANK.sub("\n\n", out).strip("\n")


class _ListState:
    __slots__ = ("counter", "ordered")

    def __init__(self, ordered: bool, start: int) -> None:
        self.ordered = ordered
        self.counter = start


def html_to_text(markup: str | bytes) -> str:
    """Readable text from an HTML document or fragment. Never raises on bad markup."""
    if isinstance(markup, bytes):
        markup = markup.decode("utf-8", "replace")
    markup = markup.replace("\x00", "")
    if not markup.strip():
        return ""
    try:
        root = html.document_fromstring(markup, parser=_PARSER)
    except (etree.ParserError, ValueError):
        root = None
    text = _walk(root) if root is not None else ""
    if not text and _TAG.search(markup):
        # libxml2 gives up on absurdly deep nesting; fall back to dropping the tags
        text = _WS.sub(" ", _TAG.sub(" ", _SCRIPT_STYLE.sub(" ", markup))).strip()
    return text


def _walk(root: etree._Element) -> str:
    out = _Writer()
    lists: list[_ListState] = []
    row_cells: list[list[str]] = []
    cell_starts: list[int] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower().rsplit("}", 1)[-1]
        if event == "start":
            hidden = _HIDDEN_STYLE.search(el.get("style", "") or "")
            if tag in _SKIP or not tag or ":" in tag or hidden:
                walker.skip_subtree()
                # the tail of a skipped element is still visible text
                out.text(el.tail)
                continue
            _open(tag, el, out, lists, row_cells, cell_starts)
            out.text(el.text)
        else:
            _close(tag, out, lists, row_cells, cell_starts)
            out.text(el.tail)
    return out.result()


def _open(
    tag: str,
    el: etree._Element,
    out: _Writer,
    lists: list[_ListState],
    row_cells: list[list[str]],
    cell_starts: list[int],
) -> None:
    if tag == "br":
        out.newline()
    elif tag == "img":
        if not _is_tracking_image(el):
            alt = _WS.sub(" ", el.get("alt", "")).strip()
            if alt:
                out.text(f"[{alt}]")
    elif tag in {"ul", "ol", "menu"}:
        out.block()
        try:
            start = int(el.get("start", "1"))
        except ValueError:
            start = 1
        lists.append(_ListState(tag == "ol", start))
    elif tag == "li":
        out.block()
        indent = "  " * max(len(lists) - 1, 0)
        state = lists[-1] if lists else _ListState(False, 1)
        if state.ordered:
            out.parts.append(f"{indent}{state.counter}. ")
            state.counter += 1
        else:
            out.parts.append(f"{indent}- ")
    elif tag == "blockquote":
        out.block()
        out.quote_depth += 1
    elif tag == "pre":
        out.block()
        out.pre_depth += 1
    elif tag == "tr":
        out.block()
        row_cells.append([])
    elif tag in {"td", "th"}:
        out.block()
        cell_starts.append(len(out.lines))
    elif tag == "table" or tag in {"p", "h1", "h2", "h3", "h4", "h5", "h6"}:
        out.blank()
    elif tag in _BLOCK:
        out.block()


def _close(
    tag: str,
    out: _Writer,
    lists: list[_ListState],
    row_cells: list[list[str]],
    cell_starts: list[int],
) -> None:
    if tag in {"ul", "ol", "menu"}:
        if lists:
            lists.pop()
        out.block()
    elif tag == "blockquote":
        out.block()
        out.quote_depth = max(out.quote_depth - 1, 0)
    elif tag == "pre":
        out.block()
        out.pre_depth = max(out.pre_depth - 1, 0)
    elif tag in {"td", "th"}:
        start = cell_starts.pop() if cell_starts else len(out.lines)
        if len(out.lines) > start:
            # block content inside the cell (a layout table): keep its lines as they are,
            # after the simple cells that came before it in this row
            out.block()
            if row_cells and row_cells[-1]:
                out.lines.insert(start, " | ".join(row_cells[-1]))
                row_cells[-1].clear()
            return
        cell = _WS.sub(" ", "".join(out.parts)).strip()
        out.parts = []
        if row_cells and cell:
            row_cells[-1].append(cell)
    elif tag == "tr":
        cells = row_cells.pop() if row_cells else []
        if cells:
            out.parts = [" | ".join(cells)]
            out.newline()
    elif tag == "table" or tag in {"p", "h1", "h2", "h3", "h4", "h5", "h6"}:
        out.blank()
    elif tag in _BLOCK or tag == "li":
        out.block()
