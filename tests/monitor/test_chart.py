"""Chart geometry: coordinates worked out by hand for the default 640 × 260 chart.

The default plot area runs from x 48 to 624 (576 wide) and from y 16 to 232 (216 tall).
"""

import math
from datetime import date

import pytest

from workshop.monitor.chart import line_chart, month_ticks, nice_number, nice_ticks
from workshop.monitor.status import Spec

D = date
TODAY = D(2026, 8, 1)


def up(**changes):
    """Baseline 100 on 2026-01-01, target 200 on 2027-01-01 (365 days apart)."""
    fields = {
        "direction": "up",
        "baseline_value": 100.0,
        "baseline_date": D(2026, 1, 1),
        "target_value": 200.0,
        "target_date": D(2027, 1, 1),
        "frequency": "quarterly",
        "created": D(2025, 12, 1),
    }
    fields.update(changes)
    return Spec(**fields)


def bare(direction="up", **changes):
    """No baseline, no target."""
    return Spec(direction=direction, frequency="monthly", created=D(2026, 1, 1), **changes)


MEASUREMENTS = [(D(2026, 7, 2), 140), (D(2026, 4, 1), 110)]


def test_known_points_of_an_up_indicator():
    chart = line_chart(up(), MEASUREMENTS, TODAY)
    assert (chart["width"], chart["height"]) == (640, 260)
    assert chart["plot"] == {"left": 48, "right": 624, "top": 16, "bottom": 232}
    # x: 2026-01-01 … 2027-01-01, 365 days.
    assert chart["x_domain"] == (D(2026, 1, 1), D(2027, 1, 1))
    # y: values 100..200, 10 % headroom → 90..210; nice step 50 → 50..250.
    assert chart["y_domain"] == (50.0, 250.0)
    # 2026-04-01 is day 90: 48 + 90/365·576 = 48 + 142.03 = 190.0;
    #   110 → 232 − (110 − 50)/200·216 = 232 − 64.8 = 167.2.
    # 2026-07-02 is day 182: 48 + 287.21 = 335.2; 140 → 232 − 97.2 = 134.8.
    assert chart["points"] == [
        {"x": 190.0, "y": 167.2, "date": D(2026, 4, 1), "value": 110.0},
        {"x": 335.2, "y": 134.8, "date": D(2026, 7, 2), "value": 140.0},
    ]
    assert chart["polyline"] == "190.0,167.2 335.2,134.8"
    # Baseline 100 at the left edge: y 232 − 50/200·216 = 178.0.
    # Target 200 at the right edge: y 232 − 150/200·216 = 70.0.
    assert chart["baseline"] == {
        "x": 48.0, "y": 178.0, "date": D(2026, 1, 1), "value": 100.0, "derived": False}
    assert chart["target"] == {"x": 624.0, "y": 70.0, "date": D(2027, 1, 1), "value": 200.0}
    assert chart["path"] == {"x1": 48.0, "y1": 178.0, "x2": 624.0, "y2": 70.0}
    assert chart["band"] is None
    # Today 2026-08-01 is day 212: 48 + 334.55 = 382.6.
    assert chart["today_x"] == 382.6


def test_ticks_of_the_up_indicator():
    chart = line_chart(up(), MEASUREMENTS, TODAY)
    assert chart["y_ticks"] == [
        {"y": 232.0, "value": 50.0, "label": "50"},
        {"y": 178.0, "value": 100.0, "label": "100"},
        {"y": 124.0, "value": 150.0, "label": "150"},
        {"y": 70.0, "value": 200.0, "label": "200"},
        {"y": 16.0, "value": 250.0, "label": "250"},
    ]
    # 13 month starts are too many; quarters give 5. Days 0, 90, 181, 273, 365.
    assert chart["x_tick_unit"] == "quarter"
    assert chart["x_ticks"] == [
        {"x": 48.0, "date": D(2026, 1, 1), "label": "2026-01"},
        {"x": 190.0, "date": D(2026, 4, 1), "label": "2026-04"},
        {"x": 333.6, "date": D(2026, 7, 1), "label": "2026-07"},
        {"x": 478.8, "date": D(2026, 10, 1), "label": "2026-10"},
        {"x": 624.0, "date": D(2027, 1, 1), "label": "2027-01"},
    ]


def test_a_custom_size_and_padding():
    # 365 px wide without padding: one pixel per day. 216 tall for 50..250: 1.08 per unit.
    chart = line_chart(up(), MEASUREMENTS, TODAY, width=365, height=216, padding=(0, 0, 0, 0))
    assert chart["points"][0]["x"] == 90.0
    assert chart["points"][1] == {"x": 182.0, "y": 118.8, "date": D(2026, 7, 2),
                                  "value": 140.0}  # 216 − 90·1.08
    assert chart["today_x"] == 212.0


def test_future_measurements_are_left_out():
    chart = line_chart(up(), [*MEASUREMENTS, (D(2026, 9, 1), 500)], TODAY)
    assert [p["value"] for p in chart["points"]] == [110.0, 140.0]
    assert chart["y_domain"] == (50.0, 250.0)  # 500 did not stretch it


def test_a_derived_baseline_and_a_single_measurement():
    spec = up(baseline_value=None, baseline_date=None)
    chart = line_chart(spec, MEASUREMENTS, TODAY)
    # The first measurement is the baseline; the path starts there.
    assert chart["baseline"]["derived"] is True
    assert (chart["baseline"]["x"], chart["baseline"]["y"]) == (
        chart["points"][0]["x"], chart["points"][0]["y"])
    assert chart["path"]["x1"] == chart["points"][0]["x"]
    # One measurement and no baseline: nothing to draw a path from.
    single = line_chart(spec, [(D(2026, 7, 2), 140)], TODAY)
    assert (single["baseline"], single["path"]) == (None, None)
    assert single["target"] is not None


def test_a_range_draws_a_band_and_no_path():
    spec = Spec(direction="range", range_low=40.0, range_high=60.0, frequency="monthly",
                created=D(2026, 1, 1))
    chart = line_chart(spec, [(D(2026, 3, 1), 50), (D(2026, 6, 1), 55)], TODAY)
    # 40..60 with 2 headroom → 38..62; nice step 10 → 30..70.
    # 60 → 232 − 30/40·216 = 70.0; 40 → 232 − 10/40·216 = 178.0.
    assert chart["y_domain"] == (30.0, 70.0)
    assert chart["band"] == {"y_top": 70.0, "y_bottom": 178.0}
    assert (chart["path"], chart["target"], chart["baseline"]) == (None, None, None)
    # An entered baseline is marked (and counted in the y domain): 20 → 20..60 → 16..64,
    # nice range 50, step 10 → 10..70; 20 → 232 − 10/60·216 = 196.0.
    with_baseline = Spec(direction="range", range_low=40.0, range_high=60.0,
                         baseline_value=20.0, baseline_date=D(2026, 1, 1),
                         frequency="monthly", created=D(2026, 1, 1))
    chart = line_chart(with_baseline, [(D(2026, 3, 1), 50)], TODAY)
    assert chart["y_domain"] == (10.0, 70.0)
    assert chart["baseline"] == {"x": 48.0, "y": 196.0, "date": D(2026, 1, 1), "value": 20.0,
                                 "derived": False}
    assert chart["path"] is None


def test_an_open_range_band_reaches_the_plot_edge():
    spec = Spec(direction="range", range_low=40.0, frequency="monthly", created=D(2026, 1, 1))
    chart = line_chart(spec, [(D(2026, 3, 1), 50), (D(2026, 6, 1), 55)], TODAY)
    # 40..55 with 1.5 headroom → 38.5..56.5; nice step 5 → 35..60.
    # 40 → 232 − 5/25·216 = 188.8; no upper bound → the top of the plot.
    assert chart["y_domain"] == (35.0, 60.0)
    assert chart["band"] == {"y_top": 16.0, "y_bottom": 188.8}


def test_an_empty_chart_is_still_a_chart():
    chart = line_chart(bare(), [], D(2026, 3, 15))
    # Only today: widened by 30 days each side, 60 days in all; today in the middle.
    assert chart["x_domain"] == (D(2026, 2, 13), D(2026, 4, 14))
    assert chart["today_x"] == 336.0
    assert (chart["points"], chart["polyline"]) == ([], "")
    assert (chart["path"], chart["baseline"], chart["target"], chart["band"]) == (
        None, None, None, None)
    assert chart["y_domain"] == (0.0, 1.0)
    assert [t["label"] for t in chart["y_ticks"]] == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
    # 2026-03-01 is day 16: 48 + 16/60·576 = 201.6; 2026-04-01 day 47: 499.2.
    assert chart["x_ticks"] == [
        {"x": 201.6, "date": D(2026, 3, 1), "label": "2026-03"},
        {"x": 499.2, "date": D(2026, 4, 1), "label": "2026-04"},
    ]
    assert chart["x_tick_unit"] == "month"


def test_one_measurement_today_pads_both_axes():
    chart = line_chart(bare(), [(D(2026, 3, 15), 50)], D(2026, 3, 15))
    # x: 60 days around the single date. y: 50 ± 5 → 45..55; nice step 2 → 44..56.
    # The point: x 336.0, y 232 − 6/12·216 = 124.0.
    assert chart["x_domain"] == (D(2026, 2, 13), D(2026, 4, 14))
    assert chart["y_domain"] == (44.0, 56.0)
    assert chart["points"] == [{"x": 336.0, "y": 124.0, "date": D(2026, 3, 15),
                                "value": 50.0}]


@pytest.mark.parametrize(
    ("values", "domain", "labels"),
    [
        # 1000 ± 100 → 900..1100, step 50.
        ([1000, 1000], (900.0, 1100.0), ["900", "950", "1000", "1050", "1100"]),
        # All zero: padded by 1 but kept above zero → 0..1, step 0.2.
        ([0, 0], (0.0, 1.0), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
        # −20..−10 → −21..−9, step 5 → −25..−5.
        ([-20, -10], (-25.0, -5.0), ["-25", "-20", "-15", "-10", "-5"]),
        # 5..100 → −4.5 is clamped to 0 (all values positive) → 0..109.5; the nice range
        # of 109.5 is 200, its quarter 50 → 0..150.
        ([5, 100], (0.0, 150.0), ["0", "50", "100", "150"]),
        # 0..95 → 0..104.5: the headroom crosses 100, so the nice range is 200, step 50.
        ([0, 95], (0.0, 150.0), ["0", "50", "100", "150"]),
        # 0.5..0.8 → 0.47..0.83, step 0.1 → 0.4..0.9.
        ([0.5, 0.8], (0.4, 0.9), ["0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]),
    ],
)
def test_y_domains(values, domain, labels):
    measurements = [(D(2026, 1, 1 + i), v) for i, v in enumerate(values)]
    chart = line_chart(bare(), measurements, D(2026, 2, 1))
    assert chart["y_domain"] == domain
    assert [t["label"] for t in chart["y_ticks"]] == labels


@pytest.mark.parametrize(
    ("spec", "measurements", "today"),
    [
        (up(), MEASUREMENTS, TODAY),
        (bare(), [], TODAY),
        (bare(), [(D(2020, 1, 1), 3.7), (D(2026, 6, 1), 1234.5)], TODAY),
        (bare(), [(D(2026, 7, 1), -0.003), (D(2026, 7, 2), 0.0071)], TODAY),
        (up(target_value=1e6, target_date=D(2040, 1, 1)), MEASUREMENTS, TODAY),
    ],
)
def test_ticks_are_nice_and_inside_the_plot(spec, measurements, today):
    chart = line_chart(spec, measurements, today)
    plot = chart["plot"]
    values = [t["value"] for t in chart["y_ticks"]]
    assert 4 <= len(values) <= 8
    steps = {round(b - a, 12) for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in (1.0, 2.0, 5.0)
    assert all(round(v / step, 9).is_integer() for v in values)
    assert all(plot["top"] <= t["y"] <= plot["bottom"] for t in chart["y_ticks"])
    assert (chart["y_ticks"][0]["y"], chart["y_ticks"][-1]["y"]) == (232.0, 16.0)
    assert all(plot["top"] <= p["y"] <= plot["bottom"] for p in chart["points"])
    assert 1 <= len(chart["x_ticks"]) <= 7
    assert all(plot["left"] <= t["x"] <= plot["right"] for t in chart["x_ticks"])
    assert all(t["date"].day == 1 for t in chart["x_ticks"])


def test_long_domains_tick_every_few_years():
    # 2020-01-01 … 2030-01-01: 121 months, 41 quarters and 11 years are too many;
    # every second year gives 6.
    spec = up(baseline_date=D(2020, 1, 1), target_date=D(2030, 1, 1))
    chart = line_chart(spec, [], D(2026, 1, 1))
    assert chart["x_tick_unit"] == "year"
    assert [t["label"] for t in chart["x_ticks"]] == [
        "2020-01", "2022-01", "2024-01", "2026-01", "2028-01", "2030-01"]
    # 2026-01-01 is day 2192 of 3653: 48 + 2192/3653·576 = 48 + 345.63 = 393.6.
    assert chart["today_x"] == 393.6


def test_month_ticks():
    # Seven month starts fit; eight switch to quarters.
    assert month_ticks(D(2026, 1, 1), D(2026, 7, 1)) == (
        [D(2026, m, 1) for m in range(1, 8)], "month")
    assert month_ticks(D(2026, 1, 1), D(2026, 8, 1)) == (
        [D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1)], "quarter")
    # A start after the 1st skips that month.
    assert month_ticks(D(2026, 1, 15), D(2026, 5, 20)) == (
        [D(2026, m, 1) for m in range(2, 6)], "month")
    # Within one month: no tick at all.
    assert month_ticks(D(2026, 1, 10), D(2026, 1, 20)) == ([], "month")


def test_today_outside_the_domain_has_no_marker():
    # Everything starts in September; today is August → before the domain.
    spec = up(baseline_date=D(2026, 9, 1), target_date=D(2027, 9, 1))
    chart = line_chart(spec, [], TODAY)
    assert chart["x_domain"] == (D(2026, 9, 1), D(2027, 9, 1))
    assert chart["today_x"] is None


def test_today_after_the_target_extends_the_domain():
    chart = line_chart(up(), MEASUREMENTS, D(2027, 6, 1))
    assert chart["x_domain"] == (D(2026, 1, 1), D(2027, 6, 1))
    assert chart["today_x"] == 624.0
    # The target now lies inside: day 365 of 516 → 48 + 407.44 = 455.4.
    assert chart["target"]["x"] == 455.4


def test_nice_numbers():
    assert nice_number(120, False) == 200
    assert nice_number(50, True) == 50
    assert nice_number(0.25, True) == pytest.approx(0.2)
    assert nice_number(7, True) == 10
    assert nice_number(1, False) == 1
    assert nice_ticks(90, 210) == [50.0, 100.0, 150.0, 200.0, 250.0]
    assert nice_ticks(0.47, 0.83) == [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
