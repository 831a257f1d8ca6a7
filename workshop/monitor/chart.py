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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Scale:
    """Maps dates and values to SVG user units inside the plot area."""

    left: int
    right: int
    top: int
    bottom: int
    start: date
    end: date
    y_low: float
    y_high: float

    def x(self, day: date) -> float:
        span_days = (self.end - self.start).days
        return round(self.left + (day - self.start).days / span_days * (self.right - self.left), 1)

    def y(self, value: float) -> float:
        return round(self.bottom - (value - self.y_low) / (self.y_high - self.y_low)
                     * (self.bottom - self.top), 1)

    def marker(self, day: date, value: float) -> dict:
        return {"x": self.x(day), "y": self.y(value), "date": day, "value": value}


def _plot_box(width: int, height: int, padding: tuple[int, int, int, int]):
    """(left, right, top, bottom) of the plot area inside the padding."""
    left_pad, right_pad, top_pad, bottom_pad = padding
    return left_pad, width - right_pad, top_pad, height - bottom_pad


def _range_bounds(spec: Spec):
    """(low, high) of a range indicator, (None, None) for the other directions."""
    return (spec.range_low, spec.range_high) if spec.direction == "range" else (None, None)


def _references(spec: Spec, points):
    """The baseline (date, value) or None, the target date or None, and the target
    (date, value) or None that the chart marks."""
    trend = spec.direction in ("up", "down")
    # A range has no path, so only a baseline the plan owner entered is marked.
    base = effective_baseline(spec, points) if trend or spec.baseline_value is not None else None
    target_date = spec.target_date if trend else None
    target = (
        (spec.target_date, float(spec.target_value))
        if trend and spec.target_date is not None and spec.target_value is not None
        else None
    )
    return base, target_date, target


def _x_domain(points, base, target_date, today: date) -> tuple[date, date]:
    """From the earliest to the latest date shown; a single date is widened."""
    start_dates = [day for day, _ in points[:1]]
    if base:
        start_dates.append(base[0])
    if target_date:
        start_dates.append(target_date)
    start = min(start_dates, default=today)
    end = max([*start_dates, today, *(day for day, _ in points[-1:])])
    if start == end:
        start, end = start - SINGLE_DATE_PAD, end + SINGLE_DATE_PAD
    return start, end


def _y_tick_values(points, base, target, bounds) -> list[float]:
    """Nice ticks covering the measurements, baseline, target and range bounds."""
    values = [value for _, value in points]
    if base:
        values.append(base[1])
    if target:
        values.append(target[1])
    values.extend(float(b) for b in bounds if b is not None)
    return value_ticks(values)


def _baseline(scale: _Scale, spec: Spec, base):
    if not base:
        return None
    return {**scale.marker(*base), "derived": spec.baseline_value is None}


def _path(baseline, target_marker):
    """The straight line from the baseline marker to the target marker, if both exist."""
    if not (baseline and target_marker):
        return None
    return {
        "x1": baseline["x"],
        "y1": baseline["y"],
        "x2": target_marker["x"],
        "y2": target_marker["y"],
    }


def _band(scale: _Scale, bounds):
    """The acceptable range as a band; an open side reaches the plot's edge."""
    range_low, range_high = bounds
    if range_low is None and range_high is None:
        return None
    return {
        "y_top": scale.y(range_high) if range_high is not None else float(scale.top),
        "y_bottom": scale.y(range_low) if range_low is not None else float(scale.bottom),
    }


def _y_ticks(scale: _Scale, tick_values: list[float]) -> list[dict]:
    y_step = (scale.y_high - scale.y_low) / (len(tick_values) - 1)
    return [
        {"y": scale.y(v), "value": v, "label": _tick_label(v, y_step)} for v in tick_values
    ]


def _x_ticks(scale: _Scale):
    """[{x, date, label}] of the month ticks, and their unit."""
    tick_dates, unit = month_ticks(scale.start, scale.end)
    ticks = [{"x": scale.x(day), "date": day, "label": f"{day:%Y-%m}"} for day in tick_dates]
    return ticks, unit


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
    left, right, top, bottom = _plot_box(width, height, padding)
    points = clean_measurements(measurements, today)
    base, target_date, target = _references(spec, points)
    bounds = _range_bounds(spec)
    start, end = _x_domain(points, base, target_date, today)
    tick_values = _y_tick_values(points, base, target, bounds)
    scale = _Scale(left, right, top, bottom, start, end, tick_values[0], tick_values[-1])

    chart_points = [scale.marker(day, value) for day, value in points]
    baseline = _baseline(scale, spec, base)
    target_marker = scale.marker(*target) if target else None
    x_ticks, unit = _x_ticks(scale)
    return {
        "width": width,
        "height": height,
        "plot": {"left": left, "right": right, "top": top, "bottom": bottom},
        "x_domain": (start, end),
        "y_domain": (scale.y_low, scale.y_high),
        "points": chart_points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in chart_points),
        "path": _path(baseline, target_marker),
        "baseline": baseline,
        "target": target_marker,
        "band": _band(scale, bounds),
        "y_ticks": _y_ticks(scale, tick_values),
        "x_ticks": x_ticks,
        "x_tick_unit": unit,
        "today_x": scale.x(today) if start <= today <= end else None,
    }
