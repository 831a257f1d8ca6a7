"""Open console, presenter and review connections end with the session that opened them."""

from tests.conftest import PASSWORD


def _console(socket_client, client, workshop):
    return socket_client(flask_test_client=client,
                         auth={"workshop": workshop.id, "role": "console"})


def test_logging_out_ends_this_sessions_consoles_only(app, make_facilitator, make_workshop,
                                                      socket_client):
    make_facilitator(email="anna@example.org")
    workshop = make_workshop()
    laptop, other = app.test_client(), app.test_client()
    for browser in (laptop, other):
        browser.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    console, presenter = (_console(socket_client, laptop, workshop),
                          socket_client(flask_test_client=laptop,
                                        auth={"workshop": workshop.id, "role": "presenter"}))
    elsewhere = _console(socket_client, other, workshop)
    assert console.is_connected() and presenter.is_connected() and elsewhere.is_connected()
    elsewhere.get_received()
    laptop.post("/logout")
    assert not console.is_connected() and not presenter.is_connected()
    assert elsewhere.is_connected()  # another session of the same person carries on
    assert not any(m["name"] == "session_ended" for m in elsewhere.get_received())


def test_changing_the_password_ends_every_session_of_that_person(
        app, make_facilitator, make_workshop, socket_client):
    make_facilitator(email="anna@example.org")
    make_facilitator(email="bert@example.org")
    workshop = make_workshop()
    anna_laptop, anna_phone, bert = app.test_client(), app.test_client(), app.test_client()
    for browser, email in ((anna_laptop, "anna"), (anna_phone, "anna"), (bert, "bert")):
        browser.post("/login", data={"email": f"{email}@example.org", "password": PASSWORD})
    on_phone = _console(socket_client, anna_phone, workshop)
    berts = _console(socket_client, bert, workshop)
    anna_laptop.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a new long password!",
        "confirm": "a new long password!"})
    assert not on_phone.is_connected()
    assert berts.is_connected()
    # The stale session cannot connect again.
    again = _console(socket_client, anna_phone, workshop)
    assert not again.is_connected()


def test_connections_are_found_by_their_log_in_not_only_in_this_process(
        app, make_facilitator, make_workshop, socket_client, monkeypatch):
    from workshop.extensions import socketio
    make_facilitator(email="anna@example.org")
    workshop = make_workshop()
    laptop = app.test_client()
    laptop.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    console = _console(socket_client, laptop, workshop)
    # As if the console were served by another process: this one's rooms know nothing.
    monkeypatch.setattr(socketio.server.manager, "get_participants",
                        lambda namespace, room: iter(()))
    laptop.post("/logout")
    assert not console.is_connected()  # found through live_connections, by sid


def test_a_stale_console_that_was_not_disconnected_can_do_nothing(
        app, make_facilitator, make_workshop, socket_client, monkeypatch):
    from workshop.extensions import socketio
    make_facilitator(email="anna@example.org")
    workshop = make_workshop()
    thief, anna = app.test_client(), app.test_client()
    for browser in (thief, anna):
        browser.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    console = _console(socket_client, thief, workshop)
    real_disconnect = socketio.server.disconnect
    monkeypatch.setattr(socketio.server, "disconnect", lambda *a, **k: None)  # a lost message
    anna.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a new long password!",
        "confirm": "a new long password!"})
    monkeypatch.setattr(socketio.server, "disconnect", real_disconnect)
    ack = console.emit("set_joining", {"cid": "c-00000001", "open": False}, callback=True)
    assert ack["ok"] is False and ack["code"] == "login_required"
    assert not console.is_connected()
    from workshop.extensions import db
    db.session.refresh(workshop)
    assert workshop.joining_open is True  # nothing changed
