"""The chart as drawn, pinned byte for byte.

Each case renders `monitor/_parts.html:line_chart` with the geometry of
`workshop.monitor.chart.line_chart` and compares the `<svg>` element with
tests/monitor/fixtures/chart_<case>.svg; the geometry itself (which holds a few keys the
SVG does not draw, such as the x tick unit) is compared with chart_<case>.json.
The files were written from the code before line_chart was split into helpers, so any
change in what the chart draws shows here. To rewrite them after an intended change:
KOERS_WRITE_CHART_FIXTURES=1 pytest tests/monitor/test_chart_pinned.py, then read the diff.
"""

import json
import os
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import get_template_attribute

from workshop.monitor.chart import line_chart
from workshop.monitor.status import Spec

FIXTURES = Path(__file__).parent / "fixtures"
WRITE = os.environ.get("KOERS_WRITE_CHART_FIXTURES") == "1"
D = date
TODAY = D(2026, 8, 1)


def _spec(direction="up", **fields):
    return Spec(direction=direction, frequency=fields.pop("frequency", "quarterly"),
                created=D(2025, 12, 1), **fields)


UP = {"baseline_value": 100.0, "baseline_date": D(2026, 1, 1),
      "target_value": 200.0, "target_date": D(2027, 1, 1)}

# name: (spec, measurements, today, keyword arguments of line_chart)
CASES = {
    # Baseline, target, path and several measurements, on the indicator page's size.
    "up_full": (_spec(**UP), [(D(2026, 7, 2), 140), (D(2026, 4, 1), 110),
                              (D(2026, 2, 15), 104.5), (D(2026, 9, 1), 500)], TODAY, {}),
    # The dashboard's and public page's size (progress.charts).
    "up_dashboard": (_spec(**UP), [(D(2026, 4, 1), 110), (D(2026, 7, 2), 140)], TODAY,
                     {"width": 520, "height": 200}),
    # Lower is better, baseline derived from the first measurement.
    "down_derived": (_spec("down", target_value=10.0, target_date=D(2028, 6, 30)),
                     [(D(2025, 3, 1), 42.0), (D(2025, 9, 1), 39.5), (D(2026, 3, 1), 31.25)],
                     TODAY, {}),
    # A closed range: a band, an entered baseline, no path or target.
    "range_closed": (_spec("range", range_low=40.0, range_high=60.0, baseline_value=20.0,
                           baseline_date=D(2026, 1, 1), frequency="monthly"),
                     [(D(2026, 3, 1), 50), (D(2026, 6, 1), 65)], TODAY, {}),
    # An open range: the band reaches the top of the plot.
    "range_open": (_spec("range", range_low=40.0, frequency="monthly"),
                   [(D(2026, 3, 1), 50), (D(2026, 6, 1), 55)], TODAY, {}),
    # Nothing at all: today only, widened by 30 days.
    "empty": (_spec(frequency="monthly"), [], D(2026, 3, 15), {}),
    # Targets but no measurements, over a decade: ticks every few years.
    "targets_only_long": (_spec(**{**UP, "baseline_date": D(2020, 1, 1),
                                   "target_date": D(2030, 1, 1)}), [], D(2026, 1, 1), {}),
    # Negative values (and a target below zero).
    "negative": (_spec("down", baseline_value=-5.0, baseline_date=D(2026, 1, 1),
                       target_value=-40.0, target_date=D(2026, 12, 31)),
                 [(D(2026, 2, 1), -8.0), (D(2026, 5, 1), -21.5), (D(2026, 7, 1), -17.0)],
                 TODAY, {}),
    # Values on both sides of zero, small decimals.
    "around_zero": (_spec(frequency="monthly"),
                    [(D(2026, 7, 1), -0.003), (D(2026, 7, 2), 0.0071)], TODAY, {}),
    # One point, today: both axes padded; no polyline.
    "one_point": (_spec(frequency="monthly"), [(D(2026, 3, 15), 50)], D(2026, 3, 15), {}),
    # One measurement without a baseline: a target but no path.
    "one_point_target": (_spec(target_value=200.0, target_date=D(2027, 1, 1)),
                         [(D(2026, 7, 2), 140)], TODAY, {}),
    # Today before everything: no today line; custom padding.
    "today_before": (_spec(**{**UP, "baseline_date": D(2026, 9, 1),
                              "target_date": D(2027, 9, 1)}), [], TODAY,
                     {"width": 365, "height": 216, "padding": (0, 0, 0, 0)}),
}


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(value)  # pragma: no cover


def _indicator(spec):
    return SimpleNamespace(name="Jobs", unit="jobs", direction=spec.direction,
                           baseline_value=None, target_value=None, measurements=[])


def _svg(app, geometry, spec):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        macro = get_template_attribute("monitor/_parts.html", "line_chart")
        html = str(macro(geometry, _indicator(spec), SimpleNamespace(status="on_track"), "c"))
    match = re.search(r"<svg .*?</svg>", html, re.S)
    assert match
    return match.group(0) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_chart_is_drawn_as_pinned(app, name):
    spec, measurements, today, options = CASES[name]
    geometry = line_chart(spec, measurements, today, **options)
    svg = _svg(app, geometry, spec)
    data = json.dumps(geometry, default=_plain, indent=1, sort_keys=True) + "\n"
    svg_file, json_file = FIXTURES / f"chart_{name}.svg", FIXTURES / f"chart_{name}.json"
    if WRITE:
        FIXTURES.mkdir(exist_ok=True)
        svg_file.write_text(svg, encoding="utf-8")
        json_file.write_text(data, encoding="utf-8")
    assert svg == svg_file.read_text(encoding="utf-8")
    assert data == json_file.read_text(encoding="utf-8")
