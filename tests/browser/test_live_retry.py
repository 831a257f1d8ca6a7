"""The reference client's answer to `rate_limited`: static/js/live.js in Chromium against a
scripted Socket.IO stand-in (no server), so each server answer is exactly the one tested.
It waits the server's `retry_after`, sends the same message again, and gives up after a
few tries instead of retrying forever."""

import pytest

from tests.live_server import ROOT

pytestmark = pytest.mark.browser

# window.io stand-in: answers every emit with the next scripted ack (the last repeats),
# records what was sent, and runs timers at once while recording their delays.
FAKE_IO = """
window.sent = []; window.delays = []; window.snapshots = [];
window.script = [];
window.setTimeout = function (fn, ms) { window.delays.push(ms); Promise.resolve().then(fn); };
window.io = function () {
  var handlers = {};
  var socket = {
    active: true,
    on: function (name, fn) { handlers[name] = fn; },
    connect: function () {}, disconnect: function () {},
    timeout: function () {
      return { emit: function (event, payload, cb) {
        window.sent.push([event, JSON.stringify(payload)]);
        var ack = window.script.length > 1 ? window.script.shift() : window.script[0];
        Promise.resolve().then(function () { cb(null, ack); });
      } };
    },
  };
  window.fire = function (name, data) { handlers[name](data); };
  return socket;
};
"""

LIMITED = {"ok": False, "code": "rate_limited", "field": None, "retry_after": 2,
           "error": "Too many messages at once: wait a moment and send it again."}


@pytest.fixture
def client_page(new_page):
    page = new_page()
    page.set_content("<!doctype html><div id='conn'></div>")
    page.add_script_tag(content=FAKE_IO)
    # live.js is an ES module: its exports are handed to the test as window.Koers.
    page.add_script_tag(type="module", content=(ROOT / "static/js/live.js").read_text()
                        + "\nwindow.Koers = { connect: connect };")
    page.wait_for_function("window.Koers")
    page.evaluate("""() => {
      window.live = Koers.connect({workshop: 3, role: 'participant',
        versionKey: 'stage_version', onSnapshot: s => window.snapshots.push(s),
        onEvent: () => {}});
      window.fire('connect');
    }""")
    return page


def send(page, script):
    return page.evaluate("""(script) => {
      window.script = script; window.sent = []; window.delays = [];
      return live.send('add_dot', {cid: 'cid-00000001', step_id: 1, proposal_id: 2, delta: 1});
    }""", script)


def test_a_rate_limited_write_is_sent_again_after_the_hint_with_the_same_cid(client_page):
    ok = {"ok": True, "proposal_id": 2, "dots": 1, "scope": "0", "left": 4, "seq": 7}
    ack = send(client_page, [LIMITED, LIMITED, ok])
    assert ack == ok  # the page only ever sees the final answer
    sent = client_page.evaluate("window.sent")
    assert len(sent) == 3 and len({payload for _event, payload in sent}) == 1
    assert client_page.evaluate("window.delays") == [2000, 2000]


def test_a_write_that_stays_rate_limited_gives_up_after_a_few_tries(client_page):
    ack = send(client_page, [LIMITED])
    assert ack["code"] == "rate_limited"  # shown to the person, not resent forever
    assert len(client_page.evaluate("window.sent")) == 4


def test_a_rate_limited_snapshot_request_is_asked_again(client_page):
    snapshot = {"role": "participant", "stage_version": 9, "stage": {}}
    client_page.evaluate("""(script) => { window.script = script; live.resync(); }""",
                         [LIMITED, {"ok": True, "snapshot": snapshot}])
    client_page.wait_for_function("window.snapshots.length === 1")
    assert client_page.evaluate("live.state.version") == 9
