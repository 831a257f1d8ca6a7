"""The tally coalescer keeps only what is due: its memory does not grow with the steps
or votes a long-running server has seen."""

import time

from workshop.live import running
from workshop.realtime import tallies
from workshop.realtime.executor import run_once


def test_the_coalescer_forgets_every_step_once_its_tally_is_sent(app, voting_room):
    rooms = [voting_room() for _ in range(3)]
    for made in rooms:
        run_once("t", None, lambda m=made: running.set_reveal(
            m["workshop"], m["vote"].id, "everyone"))
    for made in rooms:
        for _ in range(50):  # many votes' worth of requests, three steps
            tallies.request_tally(made["vote"].id)
    for missing in range(10_000, 11_000):  # steps deleted meanwhile
        tallies.request_tally(missing)
    state = app.extensions["koers_tallies"]
    assert state["loop"]
    app.background_tasks.settle()
    assert state["due"] == set()
    # The phones' throttle remembers a step for one phone interval, then forgets it.
    time.sleep(app.config["TALLY_PHONE_INTERVAL"] * 2 + app.config["TALLY_STAFF_INTERVAL"] * 3)
    assert state["phones_sent"] == {}
    assert state["due"] == set()
