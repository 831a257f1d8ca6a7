// Koers live client: connection, versioned snapshots, acknowledged writes, and the small
// DOM and text helpers the live screens share. An ES module: the participant page, the
// facilitator console, the presenter screen and the review screen import what they use.
var stringsEl = document.getElementById("koers-strings");
export var strings = stringsEl ? JSON.parse(stringsEl.textContent) : {};

// t("key", {n: 3}) -> the translated string with %(n)s / %(n)d filled in.
export function t(key, vars) {
  return fill(strings[key] || key, vars);
}

function fill(text, vars) {
  if (!vars) return text;
  return text.replace(/%\((\w+)\)[sd]/g, function (_m, name) {
    return name in vars ? String(vars[name]) : "";
  });
}

// tn("%(num)s dot", 3, {…}) -> the plural form for 3, with %(num)s (and vars) filled in.
// The server sends plural strings as [one, other] (strings.ngettext); Dutch and English
// both take "one" for exactly 1.
export function tn(key, n, vars) {
  var forms = strings[key];
  var text = Array.isArray(forms) ? forms[n === 1 ? 0 : 1] : forms || key;
  return fill(text, Object.assign({ num: n }, vars || {}));
}

// h("p", {class: "x"}, "text", child) -> element. Text is always text, never HTML.
// `style` is an object of properties ({"--domain": "#1f5f8b"}), set through the CSSOM:
// the page's Content-Security-Policy refuses a style attribute.
export function h(tag, attrs) {
  var el = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (name) {
    var value = attrs[name];
    if (value === null || value === undefined || value === false) return;
    if (name.slice(0, 2) === "on") el.addEventListener(name.slice(2), value);
    else if (name === "text") el.textContent = value;
    else if (name === "style") {
      Object.keys(value).forEach(function (prop) {
        if (value[prop] !== null && value[prop] !== undefined) {
          el.style.setProperty(prop, value[prop]);
        }
      });
    }
    else el.setAttribute(name, value === true ? "" : value);
  });
  for (var i = 2; i < arguments.length; i++) {
    var child = arguments[i];
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) child.forEach(function (c) { if (c) el.appendChild(c); });
    else el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}

// Run `rebuild` (which replaces DOM nodes) and put focus and the caret back where the
// person was, by element id.
export function keepFocus(rebuild) {
  var active = document.activeElement;
  var id = active && active.id ? active.id : null;
  var caret = active && typeof active.selectionStart === "number"
    ? [active.selectionStart, active.selectionEnd] : null;
  rebuild();
  if (!id) return;
  var again = document.getElementById(id);
  if (!again || again === document.activeElement) return;
  again.focus();
  if (caret && again.setSelectionRange) again.setSelectionRange(caret[0], caret[1]);
}

export function uid() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  var bytes = new Uint8Array(16);
  (window.crypto || window.msCrypto).getRandomValues(bytes);
  return Array.prototype.map.call(bytes, function (b) {
    return ("0" + b.toString(16)).slice(-2);
  }).join("");
}

export var store = {
  get: function (key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) { return fallback; }
  },
  set: function (key, value) {
    try {
      if (value === null || value === undefined) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* private mode or full: the page still works, it just forgets */ }
  },
};

// Connect refusals that trying again cannot change (docs/realtime.md, section 2.2).
var REFUSALS = ["not_joined", "login_required", "unknown_workshop", "unknown_review",
                "bad_auth"];
var ACK_TIMEOUT_MS = 8000;
// An event over the server's rate limit is answered `rate_limited` with `retry_after`
// seconds: wait that long and send the same message again, quietly, a few times; then
// the refusal is the answer (docs/realtime.md, section 4).
var RATE_LIMIT_TRIES = 4;
var RATE_LIMIT_MAX_WAIT_S = 60;

export function retryDelayMs(ack) {
  var seconds = Number(ack && ack.retry_after);
  if (!isFinite(seconds) || seconds <= 0) seconds = 1;
  return Math.min(seconds, RATE_LIMIT_MAX_WAIT_S) * 1000;
}

// openSocket(auth, {onConnection, onRefused}) -> the Socket.IO socket, as every Koers
// screen connects: it reconnects by itself (also after the server said "unavailable"),
// shows #conn while it is away, reloads the page when the staff session that opened it
// ends, and stops at a refusal that trying again cannot change (onRefused(code)).
export function openSocket(auth, opts) {
  opts = opts || {};
  var socket = window.io({
    auth: auth,
    transports: ["websocket", "polling"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });

  function setConnected(value) {
    if (opts.onConnection) opts.onConnection(value);
    var bar = document.getElementById("conn");
    if (bar) bar.hidden = value;
  }

  socket.on("connect", function () { setConnected(true); });
  // Staff: the session that opened this page ended (log-out, password changed).
  socket.on("session_ended", function () {
    socket.disconnect();
    window.location.reload();
  });
  socket.on("disconnect", function () { setConnected(false); });
  socket.on("connect_error", function (err) {
    if (REFUSALS.indexOf(err && err.message) !== -1) {
      socket.disconnect();
      if (opts.onRefused) opts.onRefused(err.message);
    } else {
      setConnected(false);
      // A refusal by the server (e.g. "unavailable") is not retried by Socket.IO itself.
      if (!socket.active) window.setTimeout(function () { socket.connect(); }, 2000);
    }
  });
  return socket;
}

// connect({workshop, role, versionKey, onSnapshot, onEvent, onRefused, onConnection})
// versionKey: "version" (staff: the `changed` stream) or "stage_version" (phones).
export function connect(opts) {
  var state = { version: -1, connected: false };
  var versioned = opts.versionKey === "version" ? "changed" : "stage_changed";
  var socket = openSocket({ workshop: opts.workshop, role: opts.role }, {
    onConnection: function (value) {
      state.connected = value;
      if (opts.onConnection) opts.onConnection(value);
    },
    onRefused: opts.onRefused,
  });

  function applySnapshot(snapshot) {
    state.version = snapshot[opts.versionKey];
    opts.onSnapshot(snapshot);
  }

  // emit with an ack; a rate_limited answer is sent again after its hint, up to
  // RATE_LIMIT_TRIES times. done(err, ack) as socket.io's callback.
  function emitAcked(event, payload, done, tries) {
    tries = tries || 1;
    socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, function (err, ack) {
      if (!err && ack && ack.code === "rate_limited" && tries < RATE_LIMIT_TRIES) {
        return window.setTimeout(function () {
          if (!state.connected) return done(new Error("offline"));
          emitAcked(event, payload, done, tries + 1);
        }, retryDelayMs(ack));
      }
      done(err, ack);
    });
  }

  function resync() {
    emitAcked("request_snapshot", {}, function (err, ack) {
      if (!err && ack && ack.ok) applySnapshot(ack.snapshot);
    });
  }

  socket.on("snapshot", applySnapshot);
  socket.on(versioned, function (event) {
    var v = event[opts.versionKey];
    if (v <= state.version) return; // already in what we have
    if (v > state.version + 1) return resync(); // we missed one: ask for everything
    state.version = v;
    opts.onEvent(versioned, event);
  });
  ["own_proposal_changed", "presence", "tally_updated", "ballot_changed"].forEach(function (name) {
    socket.on(name, function (event) { opts.onEvent(name, event); });
  });

  return {
    socket: socket,
    state: state,
    resync: resync,
    // send("close_step", {...}) -> Promise of the ack; rejects on timeout or no connection.
    // Over a rate limit it waits and resends by itself (same cid) before it answers.
    send: function (event, payload) {
      return new Promise(function (resolve, reject) {
        if (!state.connected) return reject(new Error("offline"));
        emitAcked(event, payload, function (err, ack) {
          if (err) reject(err);
          else resolve(ack);
        });
      });
    },
  };
}

// The console's and presenter's shared model: stage, agenda, proposals, presence and the
// newest tally, kept current from the staff stream. hooks: render, presence, tally
// (each redraws), and optionally afterSnapshot and onConnection.
export function connectStaff(config, model, hooks) {
  function stepId(stage) { return stage && stage.step ? stage.step.id : null; }
  var live = connect({
    workshop: config.workshop,
    role: config.role,
    versionKey: "version",
    onSnapshot: function (snapshot) {
      model.stage = snapshot.stage;
      model.agenda = snapshot.agenda;
      model.proposals = {};
      snapshot.proposals.forEach(function (p) { model.proposals[p.id] = p; });
      model.presence = snapshot.presence;
      if (snapshot.tally && acceptTally(snapshot.tally)) model.tally = snapshot.tally;
      syncClock(snapshot.stage.server_time);
      hooks.render();
      if (hooks.afterSnapshot) hooks.afterSnapshot();
    },
    onEvent: function (name, event) {
      if (name === "presence") {
        model.presence = event;
        return hooks.presence();
      }
      if (name === "tally_updated") {
        if (!acceptTally(event)) return;
        model.tally = event;
        return hooks.tally();
      }
      if (name !== "changed") return;
      if (event.stage) {
        var before = stepId(model.stage);
        model.stage = event.stage;
        syncClock(event.stage.server_time);
        if (stepId(event.stage) !== before) return live.resync(); // its proposals, tally
      }
      if (event.agenda) model.agenda = event.agenda;
      (event.proposals || []).forEach(function (p) { model.proposals[p.id] = p; });
      hooks.render();
    },
    onRefused: function () { window.location.reload(); },
    onConnection: hooks.onConnection,
  });
  return live;
}

// A countdown kept in step with the server's clock.
export var clock = { offset: 0 };
export function syncClock(serverTime) {
  var server = Date.parse(serverTime);
  if (!isNaN(server)) clock.offset = server - Date.now();
}
export function secondsLeft(step) {
  if (!step) return null;
  if (step.state === "paused") return step.remaining_seconds;
  if (step.state !== "open" || !step.ends_at) return null;
  var left = (Date.parse(step.ends_at) - (Date.now() + clock.offset)) / 1000;
  return Math.max(0, Math.ceil(left));
}
export function formatSeconds(seconds) {
  var m = Math.floor(seconds / 60);
  var s = seconds % 60;
  return m + ":" + (s < 10 ? "0" : "") + s;
}
// Keep `el` showing the live step's time left; getStep() returns the current step.
export function runTimer(el, getStep) {
  function tick() {
    var left = secondsLeft(getStep());
    if (left === null || left === undefined) {
      el.hidden = true;
      return;
    }
    el.hidden = false;
    el.textContent = formatSeconds(left);
    el.classList.toggle("is-low", left <= 30);
    el.classList.toggle("is-paused", getStep().state === "paused");
    el.setAttribute("aria-label", t("Time left: %(t)s", { t: el.textContent }));
  }
  tick();
  return window.setInterval(tick, 1000);
}

// Tallies may arrive out of order: keep the newest per step.
var newest = {};
export function acceptTally(tally) {
  var seen = newest[tally.step_id];
  if (seen !== undefined && tally.seq < seen) return false;
  newest[tally.step_id] = tally.seq;
  return true;
}
