"""Who is connected: rows in the database, swept when their process is gone."""

import socket
import subprocess

from workshop.extensions import db
from workshop.live import presence
from workshop.live.models import LiveConnection


def test_connections_are_counted_per_group_and_swept_after_a_crash(make_workshop, join,
                                                                    request):
    workshop = make_workshop()
    piet, _ = join(workshop, group=0)
    anna, _ = join(workshop, group=1)
    presence.add_connection("sid-piet", workshop.id, "participant", piet.id)
    presence.add_connection("sid-piet-2", workshop.id, "participant", piet.id)  # two tabs
    presence.add_connection("sid-console", workshop.id, "console")
    host = socket.gethostname()
    neighbour = subprocess.Popen(["sleep", "60"])  # noqa: S607
    request.addfinalizer(neighbour.kill)
    db.session.add_all([
        LiveConnection(sid="sid-dead", workshop_id=workshop.id, role="participant",
                       participant_id=anna.id, process=f"{host}:999999999"),
        LiveConnection(sid="sid-elsewhere", workshop_id=workshop.id, role="participant",
                       participant_id=anna.id, process="other-host:1"),
        # Another server process on this host that still runs: its rows stay.
        LiveConnection(sid="sid-neighbour", workshop_id=workshop.id, role="participant",
                       participant_id=anna.id, process=f"{host}:{neighbour.pid}"),
    ])
    db.session.commit()
    counts = presence.counts(workshop)
    assert counts["connected_total"] == 2  # Piet once, Anna (via two rows) once
    assert counts["connected"] == {str(workshop.groups[0].id): 1,
                                   str(workshop.groups[1].id): 1}
    assert counts["joined_total"] == 2

    swept = presence.sweep_dead_processes()  # a restart: own pid and dead pids go
    remaining = {row.sid for row in db.session.scalars(db.select(LiveConnection))}
    assert swept == 2  # this process's rows (it restarted) and the dead pid's
    assert remaining == {"sid-elsewhere", "sid-neighbour"}  # other hosts', a live neighbour's
    assert presence.remove_connection("sid-elsewhere") == workshop.id
    assert presence.remove_connection("sid-unknown") is None
