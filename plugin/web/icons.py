"""Draw the add-in icons (a page with text lines and a spark) as PNGs, without Pillow.

Run ``python -m plugin.web.icons`` to redraw ``plugin/web/assets/icon-*.png``. The shapes
are signed-distance functions sampled 4x4 per pixel, so every size is anti-aliased and
drawn for its own grid rather than scaled down from a big bitmap.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

SIZES = (16, 32, 64, 80, 128)
ASSETS = Path(__file__).resolve().parent / "assets"
_SUPERSAMPLE = 4

Rgba = tuple[float, float, float, float]
Shape = Callable[[float, float], float]  # signed distance in icon units (0..1); < 0 inside

_BACKGROUND_TOP = (0.05, 0.42, 0.62)
_BACKGROUND_BOTTOM = (0.02, 0.27, 0.45)
_PAGE = (1.0, 1.0, 1.0)
_LINES = (0.36, 0.52, 0.64)
_SPARK = (1.0, 0.76, 0.18)


def _rounded_rect(cx: float, cy: float, hw: float, hh: float, radius: float) -> Shape:
    def sdf(x: float, y: float) -> float:
        dx = abs(x - cx) - hw + radius
        dy = abs(y - cy) - hh + radius
        outside = math.hypot(max(dx, 0.0), max(dy, 0.0))
        return outside + min(max(dx, dy), 0.0) - radius

    return sdf


def _spark(cx: float, cy: float, size: float) -> Shape:
    """A four-pointed star: the union of two thin diamonds."""

    def sdf(x: float, y: float) -> float:
        dx, dy = abs(x - cx) / size, abs(y - cy) / size
        tall = dx / 0.28 + dy - 1.0
        wide = dx + dy / 0.28 - 1.0
        return min(tall, wide) * size * 0.3

    return sdf


def _layers(pixel: float) -> list[tuple[Shape, Rgba | None]]:
    # Small icons get fewer, thicker lines so they stay legible at 16 px.
    line_count = 2 if pixel > 1 / 24 else 3
    line_height = max(0.055, 1.6 * pixel)
    layers: list[tuple[Shape, Rgba | None]] = [
        (_rounded_rect(0.5, 0.5, 0.47, 0.47, 0.16), None),  # None: vertical gradient
        (_rounded_rect(0.44, 0.53, 0.24, 0.31, 0.05), (*_PAGE, 1.0)),
    ]
    top, bottom = 0.36, 0.72
    for index in range(line_count):
        y = top + (bottom - top) * index / max(line_count - 1, 1)
        width = 0.15 if index < line_count - 1 else 0.09
        layers.append(
            (
                _rounded_rect(0.40 - (0.15 - width), y, width, line_height / 2, line_height / 2),
                (*_LINES, 1.0),
            )
        )
    layers.append((_spark(0.70, 0.28, 0.2), (*_SPARK, 1.0)))
    return layers


def _blend(under: Rgba, over: Rgba) -> Rgba:
    alpha = over[3] + under[3] * (1 - over[3])
    if alpha == 0:
        return (0.0, 0.0, 0.0, 0.0)
    mix = [
        (o * over[3] + u * under[3] * (1 - over[3])) / alpha
        for o, u in zip(over, under, strict=True)
    ]
    return (mix[0], mix[1], mix[2], alpha)


def _gradient(y: float) -> Rgba:
    top, bottom = _BACKGROUND_TOP, _BACKGROUND_BOTTOM
    return (*(a + (b - a) * y for a, b in zip(top, bottom, strict=True)), 1.0)  # type: ignore[return-value]


def draw(size: int) -> bytes:
    """The RGBA pixels of one icon, row-major."""
    pixel = 1.0 / size
    layers = _layers(pixel)
    out = bytearray()
    step = pixel / _SUPERSAMPLE
    for row in range(size):
        for col in range(size):
            total = [0.0, 0.0, 0.0, 0.0]
            for sy in range(_SUPERSAMPLE):
                for sx in range(_SUPERSAMPLE):
                    x = col * pixel + (sx + 0.5) * step
                    y = row * pixel + (sy + 0.5) * step
                    colour: Rgba = (0.0, 0.0, 0.0, 0.0)
                    for shape, fill in layers:
                        if shape(x, y) > 0:
                            continue
                        if fill is None:
                            fill = _gradient(y)
                        colour = _blend(colour, fill)
                    for i in range(3):
                        total[i] += colour[i] * colour[3]
                    total[3] += colour[3]
            samples = _SUPERSAMPLE * _SUPERSAMPLE
            alpha = total[3] / samples
            rgb = [total[i] / total[3] if total[3] else 0.0 for i in range(3)]
            out.extend(round(255 * min(max(v, 0.0), 1.0)) for v in (*rgb, alpha))
    return bytes(out)


def png(size: int, rgba: bytes) -> bytes:
    """Encode RGBA pixels as a PNG (colour type 6, filter 0 on every row)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    stride = size * 4
    raw = b"".join(b"\x00" + rgba[r * stride : (r + 1) * stride] for r in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def write_icons(folder: Path = ASSETS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for size in SIZES:
        path = folder / f"icon-{size}.png"
        path.write_bytes(png(size, draw(size)))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_icons(Path(sys.argv[1]) if len(sys.argv) > 1 else ASSETS):
        print(written)
