// The participant's phone: what the live step asks, proposing, and their own proposals.
// Nothing typed is lost: drafts and unsent proposals live in localStorage until the
// server has acknowledged them, and are sent again after a reconnect.
import { acceptTally, connect, h, keepFocus, runTimer, store, strings, syncClock, t, tn }
  from "./live.js";
import { applyVoteAck, applyVoteLocally, renderBallot } from "./ballot.js";
import { createOutbox } from "./outbox.js";
import { renderTally } from "./results.js";

var config = JSON.parse(document.getElementById("koers-config").textContent);
var outboxKey = "koers:outbox:" + config.workshop + ":" + config.participant;
var draftPrefix = "koers:draft:" + config.workshop + ":";

var model = { stage: null, own: {}, domainId: null, editing: null, editText: null,
              confirming: null, error: null, ballot: null, tally: null };
var VOTE_EVENTS = ["add_dot", "set_score", "set_ranking"];
var stageEl = document.getElementById("stage");

var live = connect({
  workshop: config.workshop,
  role: "participant",
  versionKey: "stage_version",
  onSnapshot: function (snapshot) {
    // In: this phone's join attempt is done, a next join on it is a new person.
    store.set("koers:join:" + snapshot.stage.workshop.code, null);
    model.stage = snapshot.stage;
    syncClock(snapshot.stage.server_time);
    model.own = {};
    snapshot.own_proposals.forEach(function (p) { model.own[p.id] = p; });
    model.ballot = snapshot.ballot || null;
    model.tally = snapshot.tally && acceptTally(snapshot.tally) ? snapshot.tally : null;
    // Changes still waiting in the outbox show as made (they will be sent once).
    outbox.items().forEach(function (o) {
      if (VOTE_EVENTS.indexOf(o.event) !== -1 && model.stage.step) {
        applyVoteLocally(model.ballot, model.stage.step, o.event, o.payload);
      }
    });
    render();
    outbox.flush();
  },
  onEvent: function (name, event) {
    if (name === "stage_changed") {
      model.stage = event.stage;
      syncClock(event.stage.server_time);
      if (event.stage.step && event.stage.step.kind === "vote") {
        return live.resync(); // the ballot, and the results once revealed
      }
      model.ballot = null;
      model.tally = null;
    } else if (name === "ballot_changed") {
      return live.resync(); // an item was hidden, merged or edited: fetch the ballot again
    } else if (name === "tally_updated") {
      if (!acceptTally(event)) return;
      model.tally = event;
    } else if (name === "own_proposal_changed") {
      model.own[event.proposal.id] = event.proposal;
    }
    render();
  },
  onRefused: function () {
    stageEl.replaceChildren(h("p", { class: "form-error", role: "alert", text: t("refused") }));
  },
  onConnection: function (connected) { if (connected) outbox.flush(); },
});

// Everything not yet acknowledged is sent oldest first, one at a time, and kept on the
// phone until the server has answered it.
var outbox = createOutbox(live, {
  key: outboxKey,
  inOrder: true,
  onAnswer: function (item, ack) {
    if (ack.ok) {
      if (ack.proposal) model.own[ack.proposal.id] = ack.proposal;
      if (VOTE_EVENTS.indexOf(item.event) !== -1) applyVoteAck(model.ballot, ack);
      model.error = null;
    } else {
      model.error = ack.error;
      if (item.event === "submit_proposal") restoreDraft(item);
      if (VOTE_EVENTS.indexOf(item.event) !== -1) live.resync(); // undo the local guess
    }
  },
  onChange: function () { render(); },
});

function enqueue(event, payload) { outbox.add(event, payload); }

function draftKey() {
  var step = model.stage && model.stage.step;
  return draftPrefix + (step ? step.id : 0) + ":" + (model.parentId ? "p" + model.parentId
    : model.domainId || 0);
}

function restoreDraft(item) {
  var key = draftPrefix + item.payload.step_id + ":" + (item.payload.parent_item_id
    ? "p" + item.payload.parent_item_id : item.payload.domain_id || 0);
  if (!store.get(key, "")) store.set(key, item.payload.text);
}

function message(text) { return h("p", { class: "stage-message", text: text }); }

function render() {
  var stage = model.stage;
  if (!stage) return;
  var step = stage.step;
  var nodes = [];
  if (stage.workshop.status === "finished") {
    nodes.push(message(t("finished")));
  } else if (!step) {
    nodes.push(message(t("welcome")));
  } else {
    nodes.push(h("p", { class: "eyebrow", text: step.kind === "collect"
      ? strings.item_kinds[step.item_kind] : step.kind === "vote"
        ? strings.methods[step.vote.method] : strings.states[step.state] }));
    nodes.push(h("h1", { class: "step-title", text: step.title }));
    if (step.body) nodes.push(h("p", { class: "step-text", text: step.body }));
    if (step.kind === "collect") nodes = nodes.concat(renderCollect(step));
    else if (step.kind === "vote") nodes = nodes.concat(renderVote(step));
    else if (step.state === "closed") nodes.push(message(t("closed")));
  }
  // Re-rendering replaces the nodes: keep focus and the caret where the person was.
  keepFocus(function () { stageEl.replaceChildren.apply(stageEl, nodes); });
}

function mine(step) {
  return Object.keys(model.own).map(function (id) { return model.own[id]; })
    .filter(function (p) { return p.step_id === step.id && p.status !== "withdrawn"; });
}

function renderCollect(step) {
  var nodes = [];
  var open = step.state === "open";
  if (step.state === "paused") nodes.push(message(t("paused")));
  if (step.state === "closed") nodes.push(message(t("closed")));
  var domains = step.domains;
  pickDomain(step);
  if (!domains.length) model.domainId = null;
  if (step.parents.length) {
    // Proposals for given plan items: choose the item; its work domain comes along.
    if (!step.parents.some(function (p) { return p.id === model.parentId; })) {
      model.parentId = step.parents[0].id;
    }
    var parent = step.parents.filter(function (p) { return p.id === model.parentId; })[0];
    model.domainId = parent.domain_id;
    if (step.parents.length > 1) nodes.push(renderParentTabs(step));
  } else {
    model.parentId = null;
    if (domains.length > 1) nodes.push(renderTabs(domains));
  }
  var pending = outbox.items().filter(function (o) { return o.event === "submit_proposal" &&
    o.payload.step_id === step.id; });
  // The limit counts in the chosen work domain, or over the whole step (as the server).
  var counted = function (domainId) {
    return !step.limit_per_domain || !model.domainId || domainId === model.domainId;
  };
  var sentCount = mine(step).filter(function (p) { return counted(p.domain_id); }).length
    + pending.filter(function (o) { return counted(o.payload.domain_id); }).length;
  var left = Math.max(0, step.max_per_participant - sentCount);
  if (step.state !== "closed") nodes.push(renderForm(step, left, open));
  nodes.push(renderOwn(step, pending, open));
  return nodes;
}

// Each step starts on its first work domain; within a step the choice is kept.
function pickDomain(step) {
  var known = step.domains.some(function (d) { return d.id === model.domainId; });
  if (step.domains.length && (model.domainStep !== step.id || !known)) {
    model.domainId = step.domains[0].id;
  }
  model.domainStep = step.id;
}

function renderVote(step) {
  var nodes = [];
  if (step.state === "paused") nodes.push(message(t("paused")));
  if (step.state === "closed") nodes.push(message(t("closed")));
  pickDomain(step);
  if (step.domains.length > 1) nodes.push(renderTabs(step.domains));
  if (model.error) nodes.push(h("p", { class: "form-error", role: "alert", text: model.error }));
  if (model.ballot) {
    nodes = nodes.concat(renderBallot(step, model.ballot, model.domainId || 0,
      function (event, payload) {
        model.error = null;
        applyVoteLocally(model.ballot, step, event, payload);
        enqueue(event, payload);
      }));
  }
  if (model.tally && model.tally.step_id === step.id) {
    nodes.push(h("h2", { class: "results-heading", text: t("Results") }));
    nodes.push(renderTally(model.tally, { compact: true }));
  }
  return nodes;
}

function renderParentTabs(step) {
  var colours = {};
  step.domains.forEach(function (d) { colours[d.id] = d.colour; });
  return h("div", { class: "domain-tabs parent-tabs", role: "group",
                    "aria-label": t("Proposals for") },
    step.parents.map(function (p) {
      return h("button", { type: "button", class: "domain-tab", id: "parent-" + p.id,
        "aria-pressed": p.id === model.parentId ? "true" : "false",
        style: { "--domain": colours[p.domain_id] },
        onclick: function () { model.parentId = p.id; model.error = null; render(); } },
      p.text);
    }));
}

function renderTabs(domains) {
  return h("div", { class: "domain-tabs", role: "group", "aria-label": t("Work domain") },
    domains.map(function (d) {
      var selected = d.id === model.domainId;
      return h("button", {
        type: "button", class: "domain-tab", id: "tab-" + d.id,
        "aria-pressed": selected ? "true" : "false", style: { "--domain": d.colour },
        onclick: function () { model.domainId = d.id; model.error = null; render(); },
      }, h("span", { class: "dot", style: { "--dot": d.colour }, "aria-hidden": "true" }),
      d.name);
    }));
}

function renderForm(step, left, open) {
  var domain = step.domains.filter(function (d) { return d.id === model.domainId; })[0];
  var parent = step.parents.filter(function (p) { return p.id === model.parentId; })[0];
  var text = store.get(draftKey(), "");
  var counter = h("p", { class: "counter", id: "counter", "aria-live": "polite" });
  var area = h("textarea", { id: "proposal-text", rows: "3", maxlength: String(step.max_length),
    "aria-describedby": "counter left", disabled: left === 0 ? true : null });
  area.value = text;
  function count() {
    counter.textContent = t("%(n)s / %(max)s characters",
      { n: area.value.length, max: step.max_length });
  }
  area.addEventListener("input", function () { store.set(draftKey(), area.value || null);
    count(); });
  count();
  var button = h("button", { type: "submit", class: "button primary wide", id: "send",
    disabled: !open || left === 0 ? true : null, text: t("Send") });
  var form = h("form", { class: "propose", novalidate: true, onsubmit: function (event) {
    event.preventDefault();
    var value = area.value.trim();
    if (!value || !open) return;
    store.set(draftKey(), null);
    model.error = null;
    enqueue("submit_proposal", { step_id: step.id, domain_id: model.domainId,
                                 parent_item_id: model.parentId, text: value });
  } },
    parent ? h("p", { class: "parent-text", text: parent.text }) : null,
    h("label", { for: "proposal-text", text: parent
      ? t("Your proposal for “%(item)s”", { item: parent.text }) : domain
        ? t("Your proposal for %(domain)s", { domain: domain.name }) : t("Your proposal") }),
    area, counter,
    h("p", { class: "hint", id: "left", text: leftText(step, domain, left) }),
    model.error ? h("p", { class: "form-error", role: "alert", text: model.error }) : null,
    button);
  return form;
}

// Says what the limit counts: "2 of 3 proposals left in Economy" or "… in this step".
function leftText(step, domain, left) {
  var inDomain = step.limit_per_domain && domain;
  var vars = { n: left, domain: domain ? domain.name : "" };
  if (left > 0) {
    return tn(inDomain ? "%(n)s of %(num)s proposal left in %(domain)s"
      : "%(n)s of %(num)s proposal left in this step", step.max_per_participant, vars);
  }
  return t(inDomain ? "You have sent the maximum for %(domain)s. Withdraw one to send another."
    : "You have sent the maximum in this step. Withdraw one to send another.", vars);
}

function statusNote(p) {
  if (p.status === "pending") return t("waiting for approval");
  if (p.status === "hidden") return t("hidden by the facilitator");
  if (p.status === "merged") return t("merged with a similar proposal");
  return null;
}

function renderOwn(step, pending, open) {
  var items = mine(step).map(function (p) { return renderProposal(p, step, open); });
  pending.forEach(function (o) {
    items.push(h("li", { class: "own-item is-sending" }, h("p", { text: o.payload.text }),
      h("p", { class: "muted", text: live.state.connected ? t("Sending…")
        : t("Waiting for the connection…") })));
  });
  return h("section", { class: "own", "aria-labelledby": "own-title" },
    h("h2", { id: "own-title", text: t("Your proposals") }),
    items.length ? h("ul", { class: "own-list" }, items)
      : h("p", { class: "muted", text: t("Nothing sent yet in this step.") }));
}

function renderProposal(p, step, open) {
  var note = statusNote(p);
  var domain = step.domains.filter(function (d) { return d.id === p.domain_id; })[0];
  var canChange = open && (p.status === "visible" || p.status === "pending");
  if (model.editing === p.id) return renderEditor(p, step);
  var actions = null;
  if (canChange) {
    var confirming = model.confirming === p.id;
    actions = h("div", { class: "own-actions" },
      h("button", { type: "button", class: "button small", id: "edit-" + p.id, text: t("Edit"),
        onclick: function () { model.editing = p.id; model.confirming = null; render();
          var box = document.getElementById("edit-text-" + p.id); if (box) box.focus(); } }),
      h("button", { type: "button", class: "button small danger", id: "withdraw-" + p.id,
        text: confirming ? t("Yes, withdraw") : t("Withdraw"),
        onclick: function () {
          if (!confirming) { model.confirming = p.id; return render(); }
          model.confirming = null;
          enqueue("withdraw_proposal", { proposal_id: p.id });
        } }));
  }
  return h("li", { class: "own-item", style: domain ? { "--domain": domain.colour } : null },
    domain && step.domains.length > 1 ? h("p", { class: "eyebrow", text: domain.name }) : null,
    h("p", { class: "own-text", text: p.text }),
    note ? h("p", { class: "muted", text: note }) : null, actions);
}

function renderEditor(p, step) {
  var area = h("textarea", { id: "edit-text-" + p.id, rows: "3",
    maxlength: String(step.max_length) });
  area.value = model.editText !== null ? model.editText : p.text;
  area.addEventListener("input", function () { model.editText = area.value; });
  return h("li", { class: "own-item is-editing" }, h("form", { novalidate: true,
    onsubmit: function (event) {
      event.preventDefault();
      var value = area.value.trim();
      if (!value) return;
      model.editing = null;
      model.editText = null;
      enqueue("edit_proposal", { proposal_id: p.id, text: value });
    } },
    h("label", { for: "edit-text-" + p.id, class: "visually-hidden", text: t("Edit") }), area,
    h("div", { class: "own-actions" },
      h("button", { type: "submit", class: "button small primary", text: t("Save") }),
      h("button", { type: "button", class: "button small", text: t("Cancel"),
        onclick: function () { model.editing = null; model.editText = null; render(); } }))));
}

runTimer(document.getElementById("timer"), function () {
  return model.stage && model.stage.step;
});
