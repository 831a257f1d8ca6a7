"""Is an indicator on track? Pure rules, no database: plain values in, a Result out.

How the status of an indicator is decided
=========================================

An indicator measures a goal. It either should go up (higher is better), go down
(lower is better), or stay within a range. Every measurement has a date and a value.

Which measurements count
  Measurements dated after today are ignored. When two measurements share a date, the
  one entered last counts. The latest remaining measurement is the one that is judged.

Going up or down: progress along a straight path
  Progress is how far the latest value has moved from the baseline towards the target:
  (latest - baseline) / (target - baseline) x 100 %. It can be below 0 % (moved the
  wrong way) or above 100 % (beyond the target).
  Expected progress is the share of the time from the baseline date to the target date
  that has passed on the date of the latest measurement, between 0 % and 100 %. On or
  after the target date it is 100 %; if the target date is not after the baseline date
  it is 100 % as well.
  The gap is expected minus progress, both rounded to one decimal as shown:
  - a gap of at most the on-track tolerance (10 points by default) is "on track";
  - a gap of at most the off-track tolerance (25 points by default) is "at risk";
  - a larger gap is "off track".
  If the target equals the baseline, progress is 100 % when the latest value is at the
  target or on its good side (higher for "up", lower for "down"), otherwise 0 %.
  Both tolerances can be set per plan.

Missing baseline or target
  Without a baseline value, the earliest measurement (its value and date) is the
  baseline; with only one measurement there is nothing to compare yet ("no data").
  With a baseline value but no baseline date, the date the indicator was created is used.
  Without a target value or a target date, an up/down indicator has no status ("no data").

Staying within a range
  A value within the range, bounds included, is "on track". A value outside it is
  measured by its distance to the nearest bound as a percentage of the range's width (if
  both bounds are equal, or only one bound is set, of that bound's size, but at least
  1). A distance of at most the off-track tolerance is "at risk", further is "off track".
  A missing bound means no limit on that side; a range without any bound has no status.

No measurements
  Without any measurement the status is "no data".

When the next measurement is due
  One period (a month, a quarter or a year, by calendar month; 31 January plus one
  month is the last day of February) after the latest measurement, or, without
  measurements, one period after the baseline date (or the creation date). The
  indicator is overdue from the day after that date.

Reason codes (Result.reason)
  no_measurements        no measurement dated today or earlier          (no_data)
  no_target              up/down without target value or target date    (no_data)
  no_range               range without any bound                        (no_data)
  no_baseline_one_value  no baseline value and only one measurement     (no_data)
  ahead_of_path          gap below 0: ahead of the straight path        (on_track)
  on_path                gap from 0 up to the on-track tolerance        (on_track)
  behind_path            gap up to the off-track tolerance              (at_risk)
  far_behind_path        gap beyond the off-track tolerance             (off_track)
  within_range           latest value within the range                  (on_track)
  below_range            under the lower bound                (at_risk or off_track)
  above_range            over the upper bound                 (at_risk or off_track)

The checks run in this order: no_measurements, no_range / no_target,
no_baseline_one_value, then the comparison itself.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

DIRECTIONS = ("up", "down", "range")
FREQUENCIES = {"monthly": 1, "quarterly": 3, "yearly": 12}
STATUSES = ("on_track", "at_risk", "off_track", "no_data")
REASONS = (
    "no_measurements",
    "no_target",
    "no_range",
    "no_baseline_one_value",
    "ahead_of_path",
    "on_path",
    "behind_path",
    "far_behind_path",
    "within_range",
    "below_range",
    "above_range",
)

# Worst first: the order rollup() uses to pick a plan-wide status.
_SEVERITY = ("off_track", "at_risk", "on_track")


@dataclass(frozen=True, kw_only=True)
class Spec:
    """What an indicator aims for. Values are plain numbers and dates."""

    direction: str
    baseline_value: float | None = None
    baseline_date: date | None = None
    target_value: float | None = None
    target_date: date | None = None
    range_low: float | None = None
    range_high: float | None = None
    frequency: str
    created: date

    def __post_init__(self):
        if self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}")
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"unknown frequency {self.frequency!r}")
        if (
            self.range_low is not None
            and self.range_high is not None
            and self.range_low > self.range_high
        ):
            raise ValueError("range_low is above range_high")


@dataclass(frozen=True)
class Thresholds:
    """Tolerances in percentage points; a plan may choose its own."""

    on_track_tolerance: float = 10.0
    off_track_tolerance: float = 25.0

    def __post_init__(self):
        if self.on_track_tolerance < 0 or self.off_track_tolerance < 0:
            raise ValueError("tolerances cannot be negative")
        if self.on_track_tolerance > self.off_track_tolerance:
            raise ValueError("the on-track tolerance exceeds the off-track tolerance")


@dataclass(frozen=True)
class Result:
    status: str
    progress: float | None
    expected: float | None
    latest_value: float | None
    latest_date: date | None
    next_due: date | None
    overdue: bool
    reason: str


def add_months(day: date, months: int) -> date:
    """`day` plus whole calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if year > date.max.year:  # past the calendar: never due
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def clean_measurements(measurements, today: date) -> list[tuple[date, float]]:
    """Measurements up to `today`, one per date (the last one given wins), sorted."""
    by_date: dict[date, float] = {}
    for day, value in measurements:
        if day <= today:
            by_date[day] = float(value)
    return sorted(by_date.items())


def effective_baseline(spec: Spec, points) -> tuple[date, float] | None:
    """The (date, value) to measure progress from, or None when there is none yet.

    `points` are cleaned measurements (see clean_measurements). Without a baseline
    value the earliest measurement serves, but only when a later one exists to compare.
    """
    if spec.baseline_value is not None:
        return (spec.baseline_date or spec.created, float(spec.baseline_value))
    if len(points) >= 2:
        return points[0]
    return None


def _r1(x: float) -> float:
    return round(x, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def evaluate(
    spec: Spec, measurements, today: date, thresholds: Thresholds = Thresholds()
) -> Result:
    """Judge the latest measurement of an indicator; see the module docstring."""
    points = clean_measurements(measurements, today)
    period = FREQUENCIES[spec.frequency]
    if points:
        latest_date, latest_value = points[-1]
        next_due = add_months(latest_date, period)
    else:
        latest_date = latest_value = None
        next_due = add_months(spec.baseline_date or spec.created, period)

    def result(status, reason, progress=None, expected=None):
        return Result(
            status=status,
            progress=progress,
            expected=expected,
            latest_value=latest_value,
            latest_date=latest_date,
            next_due=next_due,
            overdue=today > next_due,
            reason=reason,
        )

    if not points:
        return result("no_data", "no_measurements")
    if spec.direction == "range":
        return _judge_range(spec, latest_value, thresholds, result)
    if spec.target_value is None or spec.target_date is None:
        return result("no_data", "no_target")
    base = effective_baseline(spec, points)
    if base is None:
        return result("no_data", "no_baseline_one_value")
    base_date, base_value = base
    target = float(spec.target_value)

    # A baseline at or past the target (possible when the first measurement serves as
    # the baseline): the question is only whether the latest value is on the good side.
    reached = target <= base_value if spec.direction == "up" else target >= base_value
    if reached:
        good = latest_value >= target if spec.direction == "up" else latest_value <= target
        progress = 100.0 if good else 0.0
    else:
        progress = _r1((latest_value - base_value) / (target - base_value) * 100)

    total_days = (spec.target_date - base_date).days
    if total_days <= 0:
        expected = 100.0
    else:
        share = (latest_date - base_date).days / total_days * 100
        expected = _r1(min(100.0, max(0.0, share)))

    gap = _r1(expected - progress)
    if gap < 0:
        status, reason = "on_track", "ahead_of_path"
    elif gap <= thresholds.on_track_tolerance:
        status, reason = "on_track", "on_path"
    elif gap <= thresholds.off_track_tolerance:
        status, reason = "at_risk", "behind_path"
    else:
        status, reason = "off_track", "far_behind_path"
    return result(status, reason, progress, expected)


def _judge_range(spec, value, thresholds, result):
    low, high = spec.range_low, spec.range_high
    if low is None and high is None:
        return result("no_data", "no_range")
    below = low is not None and value < low
    above = high is not None and value > high
    if not (below or above):
        return result("on_track", "within_range")
    bound = low if below else high
    if low is not None and high is not None and high > low:
        width = high - low
    else:
        width = max(abs(bound), 1.0)
    distance = _r1(abs(value - bound) / width * 100)
    status = "at_risk" if distance <= thresholds.off_track_tolerance else "off_track"
    return result(status, "below_range" if below else "above_range")


def rollup(statuses: Iterable[str]) -> dict:
    """The worst of on_track/at_risk/off_track (no_data if none), and counts of all four."""
    counts = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        if status not in counts:
            raise ValueError(f"unknown status {status!r}")
        counts[status] += 1
    worst = next((s for s in _SEVERITY if counts[s]), "no_data")
    return {"status": worst, "counts": counts}
