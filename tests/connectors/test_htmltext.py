"""HTML mail bodies to text: lists, tables, quotes kept readable; scripts, styles and
tracking images dropped."""

from __future__ import annotations

from connectors.htmltext import html_to_text


def test_lists_keep_bullets_numbers_and_nesting() -> None:
    text = html_to_text(
        "<ul><li>Apples</li><li>Pears<ol start='3'><li>Green</li><li>Red</li></ol></li></ul>"
    )
    assert text.splitlines() == ["- Apples", "- Pears", "  3. Green", "  4. Red"]


def test_tables_become_rows_of_cells() -> None:
    text = html_to_text(
        "<p>Totals:</p><table><tr><th>Region</th><th>Q1</th></tr>"
        "<tr><td>North</td><td>1,200</td></tr>"
        "<tr><td>South</td><td>950</td></tr></table><p>Bye</p>"
    )
    assert "Region | Q1\nNorth | 1,200\nSouth | 950" in text
    assert text.startswith("Totals:") and text.endswith("Bye")


def test_scripts_styles_comments_and_head_are_dropped() -> None:
    text = html_to_text(
        "<html><head><title>T</title><style>p{color:red}</style></head>"
        "<body><script>alert('x')</script><!-- hidden -->"
        "<p>Visible</p><div style='display:none'>secret</div></body></html>"
    )
    assert text == "Visible"


def test_tracking_pixels_dropped_but_meaningful_images_keep_alt_text() -> None:
    text = html_to_text(
        '<p>Hi<img src="https://t.example.com/open.gif?u=1" width="1" '
        'height="1"><img src="https://x/track/abc.png" alt="tracker">'
        '<img src="chart.png" alt="Sales chart"></p>'
    )
    assert text == "Hi[Sales chart]"


def test_blockquotes_are_prefixed_for_the_quote_splitter() -> None:
    text = html_to_text(
        "<div>Sure.</div><div>On Mon, Ann wrote:</div>"
        "<blockquote type='cite'><p>Lunch?</p></blockquote>"
    )
    lines = [line for line in text.splitlines() if line]
    assert lines == ["Sure.", "On Mon, Ann wrote:", "> Lunch?"]


def test_line_breaks_entities_and_whitespace() -> None:
    assert html_to_text("a&nbsp;&amp;&nbsp;b<br>c   d\n e") == "a & b\nc d e"


def test_hostile_markup_never_raises() -> None:
    assert html_to_text("") == ""
    assert html_to_text("<<<>>>") in {"", "<<<>>>"}
    assert html_to_text("<div>" * 20000 + "deep" + "</div>" * 20000) == "deep"
    assert html_to_text(b"<p>caf\xc3\xa9</p>") == "café"
    assert "x" in html_to_text("<p>x\x00y</p>")
