"""Geometry for a server-side SVG line chart of an indicator; the template draws it.

All coordinates are SVG user units (y grows downward), rounded to one decimal.
The x axis is a date axis from the earliest of baseline date, first measurement and
target date to the latest of those and today. A single date is widened by 30 days on
each side. The y axis covers every value, the baseline, the target and the range bounds
with 10 % headroom on each side (not crossing zero when all values lie on one side of
it), widened to "nice" round ticks. Equal values are padded by 10 % of the value (by 1
when the value is 0). Measurements dated after today are ignored, as in status.evaluate.
"""

import math
from datetime import date, timedelta

from workshop.monitor.status import Spec, clean_measurements, effective_baseline

DEFAULT_PADDING = (48, 16, 16, 28)  # left, right, top, bottom
Y_TICK_COUNT = 5
MAX_X_TICKS = 7
SINGLE_DATE_PAD = timedelta(days=30)
EMPTY_Y_DOMAIN = (0.0, 1.0)


def nice_number(x: float, round_: bool) -> float:
    """A 1, 2 or 5 times a power of ten near `x` (Heckbert's "nice numbers")."""
    exponent = math.floor(math.log10(x))
    fraction = x / 10**exponent
    if round_:
        nice = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    else:
        nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    return nice * 10**exponent


def nice_ticks(low: float, high: float, count: int = Y_TICK_COUNT) -> list[float]:
    """Round tick values from at or below `low` to at or above `high` (low < high)."""
    step = nice_number(nice_number(high - low, False) / (count - 1), True)
    decimals = max(0, -math.floor(math.log10(step)))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, decimals) + 0.0 for i in range(first, last + 1)]


def value_ticks(values: list[float]) -> list[float]:
    """Nice y ticks covering `values` with 10 % headroom (see the module docstring)."""
    if not values:
        return nice_ticks(*EMPTY_Y_DOMAIN)
    low, high = min(values), max(values)
    pad = (high - low) * 0.1
    if low == high:
        pad = abs(low) * 0.1 if low else 1.0
    padded_low, padded_high = low - pad, high + pad
    if low >= 0 > padded_low:
        padded_low = 0.0
    elif high <= 0 < padded_high:
        padded_high = 0.0
    return nice_ticks(padded_low, padded_high)


def _tick_label(value: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step)))
    return f"{value:.{decimals}f}"


def _month_steps():
    yield 1, "month"
    yield 3, "quarter"
    for exponent in range(6):
        for years in (1, 2, 5):
            yield 12 * years * 10**exponent, "year"


def month_ticks(start: date, end: date, max_ticks: int = MAX_X_TICKS):
    """First days of months within [start, end], every 1, 3, 12, 24, 60, … months.

    Picks the smallest step that gives at most `max_ticks` ticks; steps are aligned to
    the calendar (quarters start in January, April, July, October; multi-year steps on
    years divisible by the step). Returns (dates, unit) with unit month/quarter/year.
    """
    start_index = start.year * 12 + start.month - 1 + (start.day > 1)
    end_index = end.year * 12 + end.month - 1
    for step, unit in _month_steps():
        first = -(-start_index // step) * step  # ceiling to a multiple of step
        indexes = range(first, end_index + 1, step)
        if len(indexes) <= max_ticks:
            return [date(i // 12, i % 12 + 1, 1) for i in indexes], unit
    raise ValueError("date domain too long")  # pragma: no cover (over 7 millennia)


def line_chart(
    spec: Spec,
    measurements,
    today: date,
    width: int = 640,
    height: int = 260,
    padding: tuple[int, int, int, int] = DEFAULT_PADDING,
) -> dict:
    """Everything a template needs to draw the chart, as plain numbers and strings.

    Keys: width, height, plot {left, right, top, bottom}, x_domain (start, end dates),
    y_domain (low, high), points [{x, y, date, value}], polyline "x,y x,y",
    path {x1, y1, x2, y2} or None, baseline {x, y, date, value, derived} or None,
    target {x, y, date, value} or None, band {y_top, y_bottom} or None,
    y_ticks [{y, value, label}], x_ticks [{x, date, label "YYYY-MM"}],
    x_tick_unit ("month", "quarter" or "year"), today_x or None.
    """
    left_pad, right_pad, top_pad, bottom_pad = padding
    left, right = left_pad, width - right_pad
    top, bottom = top_pad, height - bottom_pad

    points = clean_measurements(measurements, today)
    trend = spec.direction in ("up", "down")
    # A range has no path, so only a baseline the plan owner entered is marked.
    base = effective_baseline(spec, points) if trend or spec.baseline_value is not None else None
    target_date = spec.target_date if trend else None
    target = (
        (spec.target_date, float(spec.target_value))
        if trend and spec.target_date is not None and spec.target_value is not None
        else None
    )

    # x domain
    start_dates = [day for day, _ in points[:1]]
    if base:
        start_dates.append(base[0])
    if target_date:
        start_dates.append(target_date)
    start = min(start_dates, default=today)
    end = max([*start_dates, today, *(day for day, _ in points[-1:])])
    if start == end:
        start, end = start - SINGLE_DATE_PAD, end + SINGLE_DATE_PAD
    span_days = (end - start).days

    def x_of(day):
        return round(left + (day - start).days / span_days * (right - left), 1)

    # y domain
    values = [value for _, value in points]
    if base:
        values.append(base[1])
    if target:
        values.append(target[1])
    bounds = (spec.range_low, spec.range_high) if spec.direction == "range" else (None, None)
    values.extend(float(b) for b in bounds if b is not None)
    tick_values = value_ticks(values)
    y_low, y_high = tick_values[0], tick_values[-1]
    y_step = (y_high - y_low) / (len(tick_values) - 1)

    def y_of(value):
        return round(bottom - (value - y_low) / (y_high - y_low) * (bottom - top), 1)

    chart_points = [
        {"x": x_of(day), "y": y_of(value), "date": day, "value": value}
        for day, value in points
    ]

    def marker(day, value):
        return {"x": x_of(day), "y": y_of(value), "date": day, "value": value}

    baseline = None
    if base:
        baseline = {**marker(*base), "derived": spec.baseline_value is None}
    target_marker = marker(*target) if target else None
    path = None
    if base and target:
        path = {
            "x1": baseline["x"],
            "y1": baseline["y"],
            "x2": target_marker["x"],
            "y2": target_marker["y"],
        }

    band = None
    range_low, range_high = bounds
    if range_low is not None or range_high is not None:
        band = {
            "y_top": y_of(range_high) if range_high is not None else float(top),
            "y_bottom": y_of(range_low) if range_low is not None else float(bottom),
        }

    tick_dates, unit = month_ticks(start, end)
    return {
        "width": width,
        "height": height,
        "plot": {"left": left, "right": right, "top": top, "bottom": bottom},
        "x_domain": (start, end),
        "y_domain": (y_low, y_high),
        "points": chart_points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in chart_points),
        "path": path,
        "baseline": baseline,
        "target": target_marker,
        "band": band,
        "y_ticks": [
            {"y": y_of(v), "value": v, "label": _tick_label(v, y_step)} for v in tick_values
        ],
        "x_ticks": [
            {"x": x_of(day), "date": day, "label": f"{day:%Y-%m}"} for day in tick_dates
        ],
        "x_tick_unit": unit,
        "today_x": x_of(today) if start <= today <= end else None,
    }
