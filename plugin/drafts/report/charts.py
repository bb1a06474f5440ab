"""Bar and line charts as PNG images (Pillow), for Word reports: python-docx cannot embed
native charts, and a picture renders the same in Word, LibreOffice and a PDF.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from plugin.drafts.report.stats import format_number

FontType = ImageFont.FreeTypeFont | ImageFont.ImageFont
_FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
WIDTH, HEIGHT = 1200, 600
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 130, 40, 70, 130


@cache
def _font(size: int) -> FontType:
    for path in _FONT_FILES:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    # Pillow's built-in scalable font, when FreeType is available.
    return ImageFont.load_default(size)


def _short(label: str, limit: int = 16) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _ticks(values: Sequence[float]) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) covering 0 and the data."""
    low, high = min(0.0, *values), max(0.0, *values)
    if low == high:
        high = low + 1.0
    raw_step = (high - low) / 5
    power = 10 ** math.floor(math.log10(raw_step))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw_step)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high - 1e-9 * step:
        ticks.append(ticks[-1] + step)
    return ticks


def render_chart(
    kind: str, title: str, labels: Sequence[str], values: Sequence[float], color: str = "#2F5597"
) -> bytes:
    """A ``kind`` ("bar" or "line") chart of ``values`` over ``labels`` as PNG bytes."""
    if not values or len(labels) != len(values):
        raise ValueError("a chart needs one label per value and at least one value")
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH / 2, 30), _short(title, 70), fill="#1F3864", font=_font(30), anchor="mm")
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM
    ticks = _ticks(values)
    low, high = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    small = _font(18)
    for tick in ticks:
        y = y_of(tick)
        draw.line([(left, y), (right, y)], fill="#D9D9D9", width=1)
        draw.text(
            (left - 10, y), format_number(round(tick, 2)), fill="#404040", font=small, anchor="rm"
        )
    draw.line([(left, top), (left, bottom)], fill="#404040", width=2)
    zero = y_of(0.0) if low <= 0 <= high else bottom
    draw.line([(left, zero), (right, zero)], fill="#404040", width=2)
    slot = (right - left) / len(values)
    centers = [left + slot * (i + 0.5) for i in range(len(values))]
    if kind == "bar":
        half = slot * 0.35
        for x, value in zip(centers, values, strict=True):
            y = y_of(value)
            draw.rectangle([(x - half, min(y, zero)), (x + half, max(y, zero))], fill=color)
    else:
        points = [(x, y_of(v)) for x, v in zip(centers, values, strict=True)]
        if len(points) > 1:
            draw.line(points, fill=color, width=4, joint="curve")
        for x, y in points:
            draw.ellipse([(x - 6, y - 6), (x + 6, y + 6)], fill=color)
    every = max(1, len(labels) // 12)  # keep labels from overlapping on long series
    for i, (x, label) in enumerate(zip(centers, labels, strict=True)):
        if i % every == 0:
            _rotated_label(image, _short(label), x, bottom + 8, small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _rotated_label(image: Image.Image, text: str, x: float, y: float, font: FontType) -> None:
    """Draw ``text`` at 35 degrees below the axis, its end at (x, y)."""
    box = font.getbbox(text)
    w, h = int(box[2] - box[0]) + 4, int(box[3] - box[1]) + 6
    layer = Image.new("RGBA", (w, h), (255, 255, 255, 0))
    ImageDraw.Draw(layer).text((2 - box[0], 2 - box[1]), text, fill="#404040", font=font)
    rotated = layer.rotate(35, expand=True, resample=Image.Resampling.BICUBIC)
    image.paste(rotated, (int(x - rotated.width), int(y)), rotated)
