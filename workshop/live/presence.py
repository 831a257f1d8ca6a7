"""Who is connected to a workshop, kept in the database so any process can count it.
The socket handlers commit each change (through `realtime.executor.execute`)."""

import os
import socket

from sqlalchemy import delete, func, select

from workshop.extensions import db
from workshop.live.models import LiveConnection, Participant


def process_key():
    """host:pid of this process (computed per call: gunicorn forks after import)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def add_connection(sid, workshop_id, role, participant_id=None, facilitator_id=None,
                   login_key=None):
    """A socket joined a workshop's room."""
    db.session.merge(LiveConnection(sid=sid, workshop_id=workshop_id, role=role,
                                    participant_id=participant_id, process=process_key(),
                                    facilitator_id=facilitator_id, login_key=login_key))
    db.session.flush()


def staff_sids(facilitator_id=None, login_key=None):
    """The open staff connections of one log-in, or of every log-in of a facilitator."""
    query = select(LiveConnection.sid).where(LiveConnection.facilitator_id.is_not(None))
    if login_key is not None:
        query = query.where(LiveConnection.login_key == login_key)
    if facilitator_id is not None:
        query = query.where(LiveConnection.facilitator_id == facilitator_id)
    return db.session.scalars(query).all()


def remove_connection(sid):
    """A socket left; returns the workshop id it was in, or None."""
    row = db.session.get(LiveConnection, sid)
    if row is None:
        return None
    workshop_id = row.workshop_id
    db.session.delete(row)
    db.session.flush()
    return workshop_id


def sweep_dead_processes():
    """Drop rows left by processes of this host that no longer run (after a crash).

    Called when a server process starts; rows of other hosts are theirs to sweep.
    """
    host = socket.gethostname()
    prefix = f"{host}:"
    stale = []
    for (key,) in db.session.execute(
        select(LiveConnection.process).where(LiveConnection.process.startswith(prefix))
        .distinct()
    ):
        pid = int(key.rsplit(":", 1)[1])
        if pid == os.getpid() or not _alive(pid):
            stale.append(key)
    if stale:
        db.session.execute(delete(LiveConnection).where(LiveConnection.process.in_(stale)))
    return len(stale)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def counts(workshop):
    """Connected participants per group and in total, and how many joined per group."""
    rows = db.session.execute(
        select(Participant.group_id, func.count(func.distinct(LiveConnection.participant_id)))
        .join(Participant, Participant.id == LiveConnection.participant_id)
        .where(LiveConnection.workshop_id == workshop.id)
        .group_by(Participant.group_id)
    ).all()
    joined = db.session.execute(
        select(Participant.group_id, func.count())
        .where(Participant.workshop_id == workshop.id).group_by(Participant.group_id)
    ).all()
    return {
        "connected": {str(group or 0): n for group, n in rows},
        "connected_total": sum(n for _group, n in rows),
        "joined": {str(group or 0): n for group, n in joined},
        "joined_total": sum(n for _group, n in joined),
    }
