"""`flask koers import` holds a plan archive to the app's own rules (issue 13, point 8):
an impossible file is refused whole, naming the record, the field and the rule, and
nothing is stored. One test per family of rules."""

import copy
import json
from collections import Counter

import pytest
from sqlalchemy import func, select

from workshop.export import archive
from workshop.extensions import db
from workshop.live.models import Participant, Proposal, Step, Workshop
from workshop.monitor import services as monitor
from workshop.plans.models import Plan
from workshop.voting.models import Vote


def _counts():
    return [db.session.scalar(select(func.count()).select_from(model))
            for model in (Plan, Workshop, Step, Participant, Proposal, Vote)]


@pytest.fixture
def exported(app, demo):
    """The demo plan as a file, with an indicator and a measurement."""
    plan = demo["plan"]
    goal = next(i for i in demo["items"] if i.level == "strategic_goal")
    indicator = monitor.add_indicator(plan, goal.id, {
        "name": "Hectare", "unit": "ha", "baseline_value": 0, "baseline_date": "2025-01-01",
        "target_value": 50, "target_date": "2030-01-01"})
    monitor.add_measurement(indicator, {"date": "2025-06-01", "value": 3})
    db.session.commit()
    return archive.dump(plan)


def refused(data, done="nothing was stored"):
    """The message of the refusal; asserts that nothing was stored."""
    before = _counts()
    with pytest.raises(archive.ImportRefused) as refusal:
        archive.load(copy.deepcopy(data))
    assert _counts() == before
    message = str(refusal.value.message)
    assert done in message
    return message


def _dots_step(data):
    """The ref and record of the vote step with the most votes."""
    ref, _n = Counter(v["step"] for v in data["votes"]).most_common(1)[0]
    return ref, next(s for s in data["steps"] if s["ref"] == ref)


def test_an_honest_export_still_loads_and_round_trips(app, exported):
    before = _counts()
    plan = archive.load(copy.deepcopy(exported))
    assert _counts()[0] == before[0] + 1
    again = archive.dump(plan)
    assert json.dumps(again["votes"]) == json.dumps(exported["votes"])
    assert again["plan"]["title"] == exported["plan"]["title"]


def test_text_longer_than_its_column_is_refused(app, exported):
    exported["plan"]["title"] = "x" * 100_000
    message = refused(exported)
    assert "the plan, field “title”" in message
    assert "100,000 characters, more than the 200 allowed" in message


def test_the_refusal_reads_in_dutch(app, exported):
    from flask_babel import force_locale

    exported["plan"]["title"] = "x" * 100_000
    with app.test_request_context(), force_locale("nl"):
        message = refused(exported, done="er is niets opgeslagen")
    assert message == ("Het bestand is niet teruggezet: het plan, veld “title”: 100.000 "
                       "tekens, meer dan de toegelaten 200; er is niets opgeslagen.")


def test_text_longer_than_the_form_allows_is_refused(app, exported):
    exported["items"][2]["text"] = "y" * 2001  # a Text column: the item form says 2,000
    assert "“items” record 3, field “text”: 2,001 characters, more than the 2,000" in \
        refused(exported)
    del exported["items"][2]["text"]
    exported["measurements"][0]["note"] = "z" * 501
    assert "“measurements” record 1, field “note”" in refused(exported)


def test_values_of_the_wrong_type_are_refused(app, exported):
    for table, field, value, rule in (
            ("steps", "shuffle", "yes", "not yes or no"),
            ("participants", "display_name", 42, "not text"),
            ("steps", "position", 1.5, "not a whole number"),
            ("workshops", "created_at", "31/12/2026", "not a date"),
            ("measurements", "value", float("inf"), "not a number")):
        data = copy.deepcopy(exported)
        data[table][0][field] = value
        message = refused(data)
        assert f"“{table}” record 1, field “{field}”" in message and rule in message


def test_values_outside_the_models_constraints_are_refused(app, exported):
    data = copy.deepcopy(exported)
    data["steps"][0]["kind"] = "poll"
    assert "field “kind”: “poll” is not one of: info, collect, vote" in refused(data)
    data = copy.deepcopy(exported)
    data["steps"][0]["max_length"] = 5000
    assert "field “max_length”: 5000 is not between 10 and 2000" in refused(data)
    data = copy.deepcopy(exported)
    data["plan"]["horizon_end"] = 30_000
    assert "field “horizon_end”" in refused(data)


def test_vote_settings_beyond_what_a_facilitator_may_choose_are_refused(app, exported):
    ref, step = _dots_step(exported)
    number = exported["steps"].index(step) + 1
    step["dot_budget"] = 500
    assert (f"“steps” record {number}, field “dot_budget”: 500 is not between 1 and 100"
            in refused(exported))


def test_dots_beyond_the_budget_are_refused(app, exported):
    ref, step = _dots_step(exported)
    number, vote = next((n, v) for n, v in enumerate(exported["votes"], 1)
                        if v["step"] == ref)
    vote["value"] = 999
    assert (f"“votes” record {number}, field “value”: 999 dots on one item, more than the "
            f"step's {step['max_per_item']}") in refused(exported)
    # Within the limit per item, but more than the participant's budget altogether.
    vote["value"] = 1
    spent = Counter()
    for other in exported["votes"]:
        if other["step"] == ref:
            spent[(other["participant"], other["scope"])] += other["value"]
    key, total = spent.most_common(1)[0]
    assert total >= 2
    step["dot_budget"] = step["max_per_item"] = total - 1
    for budget in exported["dot_budgets"]:
        if (budget["step"], budget["participant"], budget["scope"]) == (ref, *key):
            budget["budget"] = total - 1
    assert f"add up to {total}, more than the budget of {total - 1}" in refused(exported)


@pytest.mark.parametrize(("method", "settings", "bad", "rule"), [
    ("score", {"score_max": 5}, 7, "7 is not between 1 and 5"),
    ("score", {"score_max": 10}, 11, "11 is not between 0 and 10"),
    ("rank", {"rank_top": 3}, 4, "rank position 4, outside the step's top 3"),
])
def test_scores_and_ranks_outside_the_step_are_refused(app, exported, method, settings, bad,
                                                       rule):
    ref, step = _dots_step(exported)
    step.update(vote_method=method, **settings)
    exported["dot_budgets"] = [b for b in exported["dot_budgets"] if b["step"] != ref]
    positions = Counter()
    votes = [v for v in exported["votes"] if v["step"] == ref]
    for vote in votes:
        positions[(vote["participant"], vote["scope"])] += 1
        vote.update(method=method, value=positions[(vote["participant"], vote["scope"])]
                    if method == "rank" else 1)
    votes[-1]["value"] = bad
    number = exported["votes"].index(votes[-1]) + 1
    assert f"“votes” record {number}, field “value”: {rule}" in refused(exported)


def test_a_vote_of_another_method_than_its_step_is_refused(app, exported):
    ref, _step = _dots_step(exported)
    number, vote = next((n, v) for n, v in enumerate(exported["votes"], 1)
                        if v["step"] == ref)
    vote["method"] = "rank"
    assert (f"“votes” record {number}, field “method”: a “rank” vote in a step that votes "
            "by “dots”") in refused(exported)


def test_a_proposal_longer_than_its_step_allows_is_refused(app, exported):
    steps = {s["ref"]: s for s in exported["steps"]}
    number, proposal = next((n, p) for n, p in enumerate(exported["proposals"], 1)
                            if steps[p["step"]]["kind"] == "collect")
    limit = steps[proposal["step"]]["max_length"]
    proposal["text"] = "p" * (limit + 1)
    assert (f"“proposals” record {number}, field “text”: {limit + 1:,} characters, more than "
            f"the step's {limit:,}") in refused(exported)


def test_the_command_names_the_problem_and_stores_nothing(app, exported, tmp_path):
    exported["plan"]["title"] = "x" * 100_000
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(exported))
    before = _counts()
    result = app.test_cli_runner().invoke(args=["koers", "import", str(path)])
    assert result.exit_code != 0
    assert "the plan, field “title”: 100,000 characters, more than the 200 allowed" in \
        result.output
    assert _counts() == before


def test_a_reference_to_a_record_the_file_does_not_hold_is_refused(app, exported):
    data = copy.deepcopy(exported)
    data["proposals"][1]["participant"] = 9999
    assert ("“proposals” record 2, field “participant”: it refers to participants 9999, which "
            "the file does not contain") in refused(data)
    data = copy.deepcopy(exported)
    data["votes"][0]["proposal"] = "seven"
    assert "“votes” record 1, field “proposal”: not a number" in refused(data)
