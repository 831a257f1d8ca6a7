"""Indicator status rules, with the expected numbers worked out by hand in comments."""

from datetime import date

import pytest

from workshop.monitor.status import (
    STATUSES,
    Result,
    Spec,
    Thresholds,
    add_months,
    clean_measurements,
    evaluate,
    rollup,
)

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


def down(**changes):
    """Baseline 50 on 2026-01-01, target 30 on 2027-01-01 (lower is better)."""
    return up(**{"direction": "down", "baseline_value": 50.0, "target_value": 30.0, **changes})


def in_range(low, high, **changes):
    fields = {"direction": "range", "range_low": low, "range_high": high,
              "frequency": "monthly", "created": D(2026, 1, 1)}
    fields.update(changes)
    return Spec(**fields)


# --- up ---------------------------------------------------------------------------------


def test_the_worked_example_from_the_brief():
    # 2026-01-01 → 2026-07-02 is 31+28+31+30+31+30+1 = 182 days of 365: 49.86 → 49.9 %.
    # Progress (140 − 100) / (200 − 100) = 40 %. Gap 9.9 ≤ 10 → on track.
    result = evaluate(up(), [(D(2026, 7, 2), 140)], TODAY)
    assert result == Result(
        status="on_track",
        progress=40.0,
        expected=49.9,
        latest_value=140.0,
        latest_date=D(2026, 7, 2),
        next_due=D(2026, 10, 2),  # quarterly: 2 July + 3 months
        overdue=False,
        reason="on_path",
    )


def test_up_between_the_tolerances_is_at_risk():
    # Progress 30 %, expected 49.9 % → gap 19.9: above 10, at most 25.
    result = evaluate(up(), [(D(2026, 7, 2), 130)], TODAY)
    assert (result.status, result.progress, result.expected) == ("at_risk", 30.0, 49.9)
    assert result.reason == "behind_path"


def test_up_beyond_the_off_track_tolerance_is_off_track():
    # Progress 20 %, expected 49.9 % → gap 29.9 > 25.
    result = evaluate(up(), [(D(2026, 7, 2), 120)], TODAY)
    assert (result.status, result.progress, result.reason) == (
        "off_track", 20.0, "far_behind_path")


def test_up_ahead_of_the_path():
    # 2026-04-01 is 31+28+31 = 90 days in: 90/365 = 24.66 → 24.7 %. Progress 50 %.
    # Gap −25.3 → on track, ahead.
    result = evaluate(up(), [(D(2026, 4, 1), 150)], TODAY)
    assert (result.status, result.progress, result.expected, result.reason) == (
        "on_track", 50.0, 24.7, "ahead_of_path")


def test_progress_is_rounded_to_one_decimal_and_may_be_negative():
    # (133.33 − 100) / 100 = 33.33 → 33.3; (90 − 100) / 100 = −10 %.
    assert evaluate(up(), [(D(2026, 7, 2), 133.33)], TODAY).progress == 33.3
    result = evaluate(up(), [(D(2026, 7, 2), 90)], TODAY)
    assert result.progress == -10.0
    # Gap 49.9 + 10 = 59.9 → off track.
    assert result.status == "off_track"


def test_a_measurement_before_the_baseline_date_expects_zero():
    # 2025-12-15 is before 2026-01-01: expected clamps to 0. Progress (90−100)/100 = −10 %.
    # Gap 0 − (−10) = 10 → on track (the tolerance is inclusive).
    result = evaluate(up(), [(D(2025, 12, 15), 90)], TODAY)
    assert (result.status, result.progress, result.expected, result.reason) == (
        "on_track", -10.0, 0.0, "on_path")


def test_on_the_target_date_the_whole_path_is_expected():
    # Expected 100 %. 190 → 90 %, gap 10 → on track; 180 → 80 %, gap 20 → at risk.
    today = D(2027, 1, 10)
    on = evaluate(up(), [(D(2027, 1, 1), 190)], today)
    assert (on.status, on.progress, on.expected) == ("on_track", 90.0, 100.0)
    risk = evaluate(up(), [(D(2027, 1, 1), 180)], today)
    assert (risk.status, risk.progress, risk.expected) == ("at_risk", 80.0, 100.0)


def test_after_the_target_date_expected_stays_at_100():
    today = D(2027, 7, 1)
    # 210 → 110 %, gap −10 → on track, ahead.
    beyond = evaluate(up(), [(D(2027, 6, 1), 210)], today)
    assert (beyond.status, beyond.progress, beyond.expected, beyond.reason) == (
        "on_track", 110.0, 100.0, "ahead_of_path")
    # 170 → 70 %, gap 30 → off track.
    short = evaluate(up(), [(D(2027, 6, 1), 170)], today)
    assert (short.status, short.progress, short.expected) == ("off_track", 70.0, 100.0)


def test_a_target_date_not_after_the_baseline_date_expects_everything():
    # Target date 2026-06-01 before baseline date 2027-01-01: expected 100 %.
    # 150 → 50 %, gap 50 → off track.
    spec = up(baseline_date=D(2027, 1, 1), target_date=D(2026, 6, 1))
    result = evaluate(spec, [(D(2026, 3, 1), 150)], TODAY)
    assert (result.status, result.progress, result.expected) == ("off_track", 50.0, 100.0)
    # Equal dates: the same.
    same = up(target_date=D(2026, 1, 1))
    assert evaluate(same, [(D(2026, 3, 1), 195)], TODAY).expected == 100.0
    # 195 → 95 %, gap 5 → on track.
    assert evaluate(same, [(D(2026, 3, 1), 195)], TODAY).status == "on_track"


# --- down -------------------------------------------------------------------------------


def test_down_progress_counts_decreases():
    # 2026-10-01 is 31+28+31+30+31+30+31+31+30 = 273 days in: 273/365 = 74.79 → 74.8 %.
    today = D(2026, 10, 15)
    # 36: (36 − 50) / (30 − 50) = 70 %, gap 4.8 → on track.
    good = evaluate(down(), [(D(2026, 10, 1), 36)], today)
    assert (good.status, good.progress, good.expected) == ("on_track", 70.0, 74.8)
    # 38: −12 / −20 = 60 %, gap 14.8 → at risk.
    risk = evaluate(down(), [(D(2026, 10, 1), 38)], today)
    assert (risk.status, risk.progress, risk.expected) == ("at_risk", 60.0, 74.8)
    # 52 went the wrong way: 2 / −20 = −10 %, gap 84.8 → off track.
    bad = evaluate(down(), [(D(2026, 10, 1), 52)], today)
    assert (bad.status, bad.progress) == ("off_track", -10.0)


def test_target_equal_to_baseline_is_all_or_nothing():
    # Expected 49.9 % on 2026-07-02 (see the worked example).
    flat_up = up(target_value=100.0)
    at = evaluate(flat_up, [(D(2026, 7, 2), 100)], TODAY)
    assert (at.progress, at.status, at.reason) == (100.0, "on_track", "ahead_of_path")
    above = evaluate(flat_up, [(D(2026, 7, 2), 101)], TODAY)
    assert above.progress == 100.0
    below = evaluate(flat_up, [(D(2026, 7, 2), 99)], TODAY)
    assert (below.progress, below.status) == (0.0, "off_track")  # gap 49.9

    flat_down = down(target_value=50.0)
    assert evaluate(flat_down, [(D(2026, 7, 2), 49)], TODAY).progress == 100.0
    assert evaluate(flat_down, [(D(2026, 7, 2), 50)], TODAY).progress == 100.0
    assert evaluate(flat_down, [(D(2026, 7, 2), 51)], TODAY).progress == 0.0


# --- missing baseline or target ---------------------------------------------------------


def test_without_a_baseline_value_the_earliest_measurement_is_the_baseline():
    # Baseline becomes 120 on 2026-03-01; target 200 on 2027-03-01 (365 days).
    # 2026-03-01 → 2026-09-01 = 31+30+31+30+31+31 = 184 days: 50.41 → 50.4 %.
    # Progress (150 − 120) / (200 − 120) = 37.5 %. Gap 12.9 → at risk.
    spec = up(baseline_value=None, baseline_date=D(2020, 1, 1), target_date=D(2027, 3, 1))
    measurements = [(D(2026, 9, 1), 150), (D(2026, 3, 1), 120)]
    result = evaluate(spec, measurements, D(2026, 9, 5))
    assert (result.status, result.progress, result.expected) == ("at_risk", 37.5, 50.4)
    assert (result.latest_value, result.latest_date) == (150.0, D(2026, 9, 1))


def test_without_a_baseline_value_one_measurement_is_not_enough():
    spec = up(baseline_value=None, baseline_date=None)
    result = evaluate(spec, [(D(2026, 7, 2), 140)], TODAY)
    assert (result.status, result.reason) == ("no_data", "no_baseline_one_value")
    assert (result.progress, result.expected) == (None, None)
    assert (result.latest_value, result.latest_date) == (140.0, D(2026, 7, 2))
    assert result.next_due == D(2026, 10, 2)


def test_without_a_baseline_date_the_creation_date_is_used():
    # Created 2026-04-01, target 2027-04-01 (365 days). 2026-10-01 is
    # 30+31+30+31+31+30 = 183 days in: 50.14 → 50.1 %. Progress 50 % → gap 0.1.
    spec = up(baseline_date=None, created=D(2026, 4, 1), target_date=D(2027, 4, 1))
    result = evaluate(spec, [(D(2026, 10, 1), 150)], D(2026, 10, 2))
    assert (result.status, result.progress, result.expected, result.reason) == (
        "on_track", 50.0, 50.1, "on_path")


@pytest.mark.parametrize("missing", ["target_value", "target_date"])
def test_without_a_target_there_is_no_status(missing):
    result = evaluate(up(**{missing: None}), [(D(2026, 7, 2), 140)], TODAY)
    assert (result.status, result.reason) == ("no_data", "no_target")
    assert (result.progress, result.expected) == (None, None)
    assert (result.latest_value, result.next_due) == (140.0, D(2026, 10, 2))


# --- no or one measurement --------------------------------------------------------------


def test_no_measurements():
    # Quarterly from the baseline date 2026-01-01: due 2026-04-01, overdue on 2026-08-01.
    result = evaluate(up(), [], TODAY)
    assert result == Result(
        status="no_data",
        progress=None,
        expected=None,
        latest_value=None,
        latest_date=None,
        next_due=D(2026, 4, 1),
        overdue=True,
        reason="no_measurements",
    )


def test_no_measurements_and_no_baseline_date_counts_from_creation():
    # Created 2025-12-01 + 3 months = 2026-03-01.
    result = evaluate(up(baseline_date=None), [], D(2026, 3, 1))
    assert (result.next_due, result.overdue) == (D(2026, 3, 1), False)
    assert evaluate(up(baseline_date=None), [], D(2026, 3, 2)).overdue is True


def test_one_measurement_with_a_baseline_is_judged():
    result = evaluate(up(), [(D(2026, 7, 2), 140)], TODAY)
    assert result.status == "on_track"


# --- which measurements count -----------------------------------------------------------


def test_future_measurements_are_ignored():
    measurements = [(D(2026, 7, 2), 140), (D(2026, 8, 2), 300)]
    result = evaluate(up(), measurements, TODAY)
    assert (result.latest_value, result.latest_date, result.progress) == (
        140.0, D(2026, 7, 2), 40.0)
    # Only future ones: as if there were none.
    assert evaluate(up(), [(D(2026, 8, 2), 300)], TODAY).reason == "no_measurements"
    # A measurement dated today counts.
    assert evaluate(up(), [(TODAY, 150)], TODAY).latest_value == 150.0


def test_the_later_entry_wins_on_the_same_date():
    # 120 then 140 → 140 (progress 40); 140 then 120 → 120 (progress 20).
    both = [(D(2026, 7, 2), 120), (D(2026, 7, 2), 140)]
    assert evaluate(up(), both, TODAY).progress == 40.0
    assert evaluate(up(), both[::-1], TODAY).progress == 20.0


def test_measurements_in_any_order():
    measurements = [(D(2026, 7, 2), 140), (D(2026, 2, 1), 105), (D(2026, 4, 1), 120)]
    assert clean_measurements(measurements, TODAY) == [
        (D(2026, 2, 1), 105.0), (D(2026, 4, 1), 120.0), (D(2026, 7, 2), 140.0)]
    assert evaluate(up(), measurements, TODAY).latest_value == 140.0


# --- next due and overdue ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "latest", "due"),
    [
        ("monthly", D(2026, 1, 31), D(2026, 2, 28)),  # clamped to February's last day
        ("monthly", D(2028, 1, 31), D(2028, 2, 29)),  # leap year
        ("monthly", D(2026, 12, 15), D(2027, 1, 15)),  # over the year end
        ("quarterly", D(2026, 11, 30), D(2027, 2, 28)),
        ("quarterly", D(2026, 8, 31), D(2026, 11, 30)),
        ("yearly", D(2028, 2, 29), D(2029, 2, 28)),
        ("yearly", D(2026, 7, 2), D(2027, 7, 2)),
    ],
)
def test_next_due_and_overdue_per_frequency(frequency, latest, due):
    spec = up(frequency=frequency, baseline_date=D(2025, 1, 1))
    on_due_day = evaluate(spec, [(latest, 150)], due)
    assert (on_due_day.next_due, on_due_day.overdue) == (due, False)
    day_after = D.fromordinal(due.toordinal() + 1)
    assert evaluate(spec, [(latest, 150)], day_after).overdue is True


def test_add_months():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 3, 31), 1) == D(2026, 4, 30)
    assert add_months(D(2026, 10, 31), 3) == D(2027, 1, 31)
    assert add_months(D(2026, 12, 1), 12) == D(2027, 12, 1)
    assert add_months(D(2026, 5, 15), 0) == D(2026, 5, 15)


# --- range ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status", "reason"),
    [
        (50, "on_track", "within_range"),
        (40, "on_track", "within_range"),  # bounds are inclusive
        (60, "on_track", "within_range"),
        (60.1, "at_risk", "above_range"),  # 0.1 / 20 = 0.5 %
        (62, "at_risk", "above_range"),  # 2 / 20 = 10 %
        (65, "at_risk", "above_range"),  # 5 / 20 = 25 %: at the tolerance
        (65.2, "off_track", "above_range"),  # 5.2 / 20 = 26 %
        (70, "off_track", "above_range"),  # 50 %
        (35, "at_risk", "below_range"),  # 5 / 20 = 25 %
        (10, "off_track", "below_range"),  # 150 %
    ],
)
def test_range_40_to_60(value, status, reason):
    result = evaluate(in_range(40.0, 60.0), [(D(2026, 7, 1), value)], TODAY)
    assert (result.status, result.reason) == (status, reason)
    assert (result.progress, result.expected) == (None, None)
    assert result.latest_value == float(value)


def test_a_missing_bound_is_unbounded():
    assert evaluate(in_range(None, 60.0), [(D(2026, 7, 1), -1000)], TODAY).status == "on_track"
    assert evaluate(in_range(40.0, None), [(D(2026, 7, 1), 1e9)], TODAY).status == "on_track"
    # One bound: distances are a share of that bound. 66 → 6 / 60 = 10 %: at risk;
    # 80 → 20 / 60 = 33.3 %: off track; below 40: 35 → 5 / 40 = 12.5 %: at risk.
    assert evaluate(in_range(None, 60.0), [(D(2026, 7, 1), 66)], TODAY).status == "at_risk"
    assert evaluate(in_range(None, 60.0), [(D(2026, 7, 1), 80)], TODAY).status == "off_track"
    below = evaluate(in_range(40.0, None), [(D(2026, 7, 1), 35)], TODAY)
    assert (below.status, below.reason) == ("at_risk", "below_range")


def test_a_range_of_one_value():
    # 50..50: distance as a share of 50. 55 → 10 %: at risk; 70 → 40 %: off track.
    assert evaluate(in_range(50.0, 50.0), [(D(2026, 7, 1), 50)], TODAY).status == "on_track"
    assert evaluate(in_range(50.0, 50.0), [(D(2026, 7, 1), 55)], TODAY).status == "at_risk"
    assert evaluate(in_range(50.0, 50.0), [(D(2026, 7, 1), 70)], TODAY).status == "off_track"
    # 0.5..0.5: a share of at least 1, not of 0.5. 0.65 → 0.15 / 1 = 15 %: at risk
    # (0.15 / 0.5 would be 30 %: off track).
    assert evaluate(in_range(0.5, 0.5), [(D(2026, 7, 1), 0.65)], TODAY).status == "at_risk"
    # 0..0: a share of at least 1. 0.2 → 20 %: at risk; 0.3 → 30 %: off track.
    assert evaluate(in_range(0.0, 0.0), [(D(2026, 7, 1), 0.2)], TODAY).status == "at_risk"
    assert evaluate(in_range(0.0, 0.0), [(D(2026, 7, 1), -0.3)], TODAY).status == "off_track"


def test_a_range_without_bounds_has_no_status():
    result = evaluate(in_range(None, None), [(D(2026, 7, 1), 5)], TODAY)
    assert (result.status, result.reason) == ("no_data", "no_range")


def test_a_range_without_measurements():
    # Monthly from the creation date 2026-01-01: due 2026-02-01.
    result = evaluate(in_range(40.0, 60.0), [], TODAY)
    assert (result.status, result.reason, result.next_due, result.overdue) == (
        "no_data", "no_measurements", D(2026, 2, 1), True)


# --- per-plan tolerances ----------------------------------------------------------------


def test_wider_tolerances_turn_at_risk_into_on_track():
    # Gap 19.9 (progress 30, expected 49.9): at risk by default, on track within 20.
    measurements = [(D(2026, 7, 2), 130)]
    assert evaluate(up(), measurements, TODAY).status == "at_risk"
    assert evaluate(up(), measurements, TODAY, Thresholds(20.0, 30.0)).status == "on_track"
    # Down: gap 14.8 → on track within 15.
    down_measurements = [(D(2026, 10, 1), 38)]
    today = D(2026, 10, 15)
    assert evaluate(down(), down_measurements, today).status == "at_risk"
    assert evaluate(down(), down_measurements, today, Thresholds(15.0, 25.0)).status == (
        "on_track")


def test_narrower_tolerances_are_stricter():
    # Worked example gap 9.9: at risk when on track means at most 5 points behind,
    # off track when at risk means at most 8.
    measurements = [(D(2026, 7, 2), 140)]
    assert evaluate(up(), measurements, TODAY, Thresholds(5.0, 10.0)).status == "at_risk"
    assert evaluate(up(), measurements, TODAY, Thresholds(5.0, 8.0)).status == "off_track"
    # Range: 65 is 25 % outside: off track when the off-track tolerance is 10.
    spec = in_range(40.0, 60.0)
    assert evaluate(spec, [(D(2026, 7, 1), 65)], TODAY, Thresholds(5.0, 10.0)).status == (
        "off_track")


def test_invalid_thresholds_and_specs_are_refused():
    with pytest.raises(ValueError):
        Thresholds(30.0, 20.0)
    with pytest.raises(ValueError):
        Thresholds(-1.0, 20.0)
    with pytest.raises(ValueError):
        up(direction="sideways")
    with pytest.raises(ValueError):
        up(frequency="weekly")
    with pytest.raises(ValueError):
        in_range(60.0, 40.0)


# --- rollup -----------------------------------------------------------------------------


def test_statuses():
    assert STATUSES == ("on_track", "at_risk", "off_track", "no_data")


def test_rollup_takes_the_worst_and_counts_all():
    assert rollup(["on_track", "at_risk", "no_data", "on_track"]) == {
        "status": "at_risk",
        "counts": {"on_track": 2, "at_risk": 1, "off_track": 0, "no_data": 1},
    }
    assert rollup(s for s in ["at_risk", "off_track", "on_track"]) == {
        "status": "off_track",
        "counts": {"on_track": 1, "at_risk": 1, "off_track": 1, "no_data": 0},
    }
    assert rollup(["on_track", "no_data"])["status"] == "on_track"


def test_rollup_without_judged_indicators_is_no_data():
    assert rollup([]) == {
        "status": "no_data",
        "counts": {"on_track": 0, "at_risk": 0, "off_track": 0, "no_data": 0},
    }
    assert rollup(["no_data", "no_data"]) == {
        "status": "no_data",
        "counts": {"on_track": 0, "at_risk": 0, "off_track": 0, "no_data": 2},
    }


def test_rollup_refuses_unknown_statuses():
    with pytest.raises(ValueError):
        rollup(["on_track", "great"])
