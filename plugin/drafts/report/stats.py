"""Plain descriptive statistics for report analysis: no numpy needed, exact on small data.

Every number a report states is computed here (or in ``analysis``), never by the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: A robust z-score above this marks an outlier (Iglewicz and Hoaglin's usual cut-off).
ROBUST_Z_CUTOFF = 3.5
#: Scales the median absolute deviation to the standard deviation of a normal sample.
MAD_SCALE = 0.6745
#: Fewer values than this make outlier detection meaningless.
MIN_VALUES_FOR_OUTLIERS = 5


@dataclass(slots=True)
class Summary:
    count: int
    total: float
    mean: float
    median: float
    minimum: float
    maximum: float
    std: float  # sample standard deviation (0 for a single value)
    q1: float
    q3: float


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolation quantile (numpy's default) of already sorted values."""
    if not sorted_values:
        raise ValueError("quantile of no values")
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(sorted_values[low])
    fraction = position - low
    return float(sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction)


def median(values: Sequence[float]) -> float:
    return quantile(sorted(values), 0.5)


def summarize(values: Sequence[float]) -> Summary:
    if not values:
        raise ValueError("summary of no values")
    ordered = sorted(values)
    count = len(ordered)
    total = math.fsum(ordered)
    mean = total / count
    variance = math.fsum((v - mean) ** 2 for v in ordered) / (count - 1) if count > 1 else 0.0
    return Summary(
        count=count,
        total=total,
        mean=mean,
        median=quantile(ordered, 0.5),
        minimum=float(ordered[0]),
        maximum=float(ordered[-1]),
        std=math.sqrt(variance),
        q1=quantile(ordered, 0.25),
        q3=quantile(ordered, 0.75),
    )


@dataclass(slots=True)
class OutlierHit:
    index: int  # position in the input sequence
    value: float
    score: float  # robust z-score, or distance beyond the fence in IQRs
    method: str  # "robust_z" or "iqr"


def outliers(values: Sequence[float]) -> list[OutlierHit]:
    """Outliers by robust z-score (median and MAD); by Tukey's IQR fences when MAD is 0.

    The robust z-score is not pulled by the outliers themselves, unlike mean and standard
    deviation. When more than half the values are equal the MAD is 0, and the IQR
    fences still work as long as the quartiles differ.
    """
    if len(values) < MIN_VALUES_FOR_OUTLIERS:
        return []
    center = median(values)
    mad = median([abs(v - center) for v in values])
    hits: list[OutlierHit] = []
    if mad > 0:
        for index, value in enumerate(values):
            score = MAD_SCALE * (value - center) / mad
            if abs(score) > ROBUST_Z_CUTOFF:
                hits.append(OutlierHit(index, float(value), score, "robust_z"))
        return hits
    ordered = sorted(values)
    q1, q3 = quantile(ordered, 0.25), quantile(ordered, 0.75)
    iqr = q3 - q1
    if iqr <= 0:
        return []
    low, high = q1 - 1.5 * iqr, q3 + 1.5 * iqr
    for index, value in enumerate(values):
        if value < low:
            hits.append(OutlierHit(index, float(value), (value - low) / iqr, "iqr"))
        elif value > high:
            hits.append(OutlierHit(index, float(value), (value - high) / iqr, "iqr"))
    return hits


def percent_change(previous: float, current: float) -> float | None:
    """Change from ``previous`` to ``current`` in percent; None when it is undefined."""
    if previous == 0:
        return None
    return (current - previous) / abs(previous) * 100.0


def format_number(value: float) -> str:
    """The one way reports write a number, so facts, narrative and checks agree.

    Integers get thousands separators; other values two decimals (trailing zeros kept off
    so that "2.50" and "2.5" cannot both appear for one fact).
    """
    if isinstance(value, bool):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 100:
        text = f"{value:,.1f}"
    elif abs(value) >= 1:
        text = f"{value:,.2f}"
    else:
        text = f"{value:.3g}"
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_percent(value: float) -> str:
    return f"{value:+.1f}%"
