// The phone's ballot in a vote step: dots, scores or a ranking, one work domain at a time.
// Changes show at once and are sent through the participant's outbox (same client id on
// every retry); the server's acknowledgement then sets the real numbers.
import { h, t, tn } from "./live.js";


function scopeOf(step, item) {
  if (!step.vote.budget_per_domain) return "0";
  return String(item.domain_id || 0);
}

// Apply a change to the local ballot before the server confirms it.
export function applyVoteLocally(ballot, step, event, payload) {
  if (!ballot) return;
  if (event === "add_dot") {
    var item = ballot.items.filter(function (i) { return i.id === payload.proposal_id; })[0];
    if (!item) return;
    var key = String(payload.proposal_id);
    ballot.votes[key] = (ballot.votes[key] || 0) + payload.delta;
    var scope = scopeOf(step, item);
    ballot.left[scope] = (ballot.left[scope] || 0) - payload.delta;
  } else if (event === "set_score") {
    if (payload.score === null) delete ballot.votes[String(payload.proposal_id)];
    else ballot.votes[String(payload.proposal_id)] = payload.score;
  } else if (event === "set_ranking") {
    ballot.items.forEach(function (i) {
      if ((i.domain_id || 0) === payload.domain_id) delete ballot.votes[String(i.id)];
    });
    payload.proposal_ids.forEach(function (id, n) { ballot.votes[String(id)] = n + 1; });
  }
}

// The server's answer is the truth for the numbers it carries.
export function applyVoteAck(ballot, ack) {
  if (!ballot || !ack || !ack.ok) return;
  (ack.changes || [ack]).forEach(function (change) {
    if (change.dots !== undefined) ballot.votes[String(change.proposal_id)] = change.dots;
    if (change.left !== undefined) ballot.left[change.scope] = change.left;
  });
}

// renderBallot(step, ballot, domainId, send) -> nodes. send(event, payload) queues a change.
export function renderBallot(step, ballot, domainId, send) {
  var vote = step.vote;
  var items = ballot.items.filter(function (i) {
    return !step.domains.length || (i.domain_id || 0) === domainId;
  });
  var open = step.state === "open";
  var nodes = [];
  if (vote.method === "dots") nodes.push(dotsHeader(step, ballot, domainId));
  if (vote.method === "score" && (vote.score_low_label || vote.score_high_label)) {
    nodes.push(h("p", { class: "hint scale-labels" },
      h("span", { text: vote.score_min + " = " + (vote.score_low_label || "") }),
      h("span", { text: vote.score_max + " = " + (vote.score_high_label || "") })));
  }
  if (vote.method === "rank") nodes.push(rankList(step, ballot, items, domainId, send, open));
  if (!items.length) {
    nodes.push(h("p", { class: "muted", text: t("Nothing to vote on here yet.") }));
  }
  nodes.push(h("ul", { class: "ballot" }, items.map(function (item) {
    var body = vote.method === "dots" ? dotsControl(step, ballot, item, send, open)
      : vote.method === "score" ? scoreControl(step, ballot, item, send, open)
        : rankControl(step, ballot, items, item, domainId, send, open);
    return h("li", { class: "ballot-item", id: "item-" + item.id },
      h("p", { class: "ballot-text", text: item.text }), body);
  })));
  return nodes;
}

function dotsHeader(step, ballot, domainId) {
  var scope = step.vote.budget_per_domain ? String(domainId || 0) : "0";
  var left = ballot.left[scope];
  if (left === undefined) left = step.vote.dot_budget;
  return h("div", { class: "dots-head" },
    h("p", { class: "dots-left", role: "status", "aria-live": "polite" },
      t("Dots left: %(n)s of %(max)s", { n: left, max: step.vote.dot_budget }),
      h("span", { class: "dot-row", "aria-hidden": "true" },
        Array.apply(null, Array(step.vote.dot_budget)).map(function (_x, n) {
          return h("span", { class: "vote-dot" + (n < left ? " is-free" : "") });
        }))),
    h("p", { class: "hint", id: "max-per-item",
             text: tn("At most %(num)s dot per item.", step.vote.max_per_item) }));
}

function dotsControl(step, ballot, item, send, open) {
  var mine = ballot.votes[String(item.id)] || 0;
  var left = ballot.left[scopeOf(step, item)];
  if (left === undefined) left = step.vote.dot_budget;
  function change(delta) {
    return function () {
      send("add_dot", { step_id: step.id, proposal_id: item.id, delta: delta });
    };
  }
  return h("div", { class: "dots-control" },
    h("button", { type: "button", class: "icon-button", id: "less-" + item.id, text: "−",
      "aria-label": t("Take a dot off: %(item)s", { item: item.text }),
      disabled: !open || mine === 0 ? true : null, onclick: change(-1) }),
    h("span", { class: "dots-count", "aria-live": "polite",
      text: tn("%(num)s dot", mine) }),
    h("button", { type: "button", class: "icon-button", id: "more-" + item.id, text: "+",
      "aria-label": t("Put a dot on: %(item)s", { item: item.text }),
      disabled: !open || left <= 0 || mine >= step.vote.max_per_item ? true : null,
      onclick: change(1) }));
}

function scoreControl(step, ballot, item, send, open) {
  var mine = ballot.votes[String(item.id)];
  var buttons = [];
  for (var s = step.vote.score_min; s <= step.vote.score_max; s++) {
    (function (score) {
      buttons.push(h("button", { type: "button", class: "score-button", text: String(score),
        id: "score-" + item.id + "-" + score, "aria-pressed": mine === score ? "true" : "false",
        "aria-label": t("Score %(n)s: %(item)s", { n: score, item: item.text }),
        disabled: open ? null : true,
        onclick: function () {
          send("set_score", { step_id: step.id, proposal_id: item.id,
                              score: mine === score ? null : score });
        } }));
    })(s);
  }
  return h("div", { class: "score-control", role: "group",
                    "aria-label": t("Your score for: %(item)s", { item: item.text }) }, buttons);
}

function ranking(ballot, items) {
  return items.filter(function (i) { return ballot.votes[String(i.id)]; })
    .sort(function (a, b) { return ballot.votes[String(a.id)] - ballot.votes[String(b.id)]; })
    .map(function (i) { return i.id; });
}

function sendRanking(step, domainId, ids, send) {
  send("set_ranking", { step_id: step.id, domain_id: domainId || 0, proposal_ids: ids });
}

function rankList(step, ballot, items, domainId, send, open) {
  var ids = ranking(ballot, items);
  var byId = {};
  items.forEach(function (i) { byId[i.id] = i; });
  return h("section", { class: "ranking", "aria-labelledby": "ranking-title" },
    h("h2", { id: "ranking-title", text: t("Your top %(n)s", { n: step.vote.rank_top }) }),
    ids.length ? h("ol", { class: "rank-list" }, ids.map(function (id, n) {
      function move(offset) {
        return function () {
          var next = ids.slice();
          var target = n + offset;
          if (target < 0 || target >= next.length) return;
          next[n] = next[target];
          next[target] = id;
          sendRanking(step, domainId, next, send);
        };
      }
      return h("li", { class: "rank-item" },
        h("span", { class: "rank-place", "aria-hidden": "true", text: (n + 1) + "." }),
        h("span", { text: byId[id] ? byId[id].text : "" }),
        h("span", { class: "own-actions" },
          h("button", { type: "button", class: "icon-button", text: "↑", id: "up-" + id,
            disabled: !open || n === 0 ? true : null, onclick: move(-1),
            "aria-label": t("Move up: %(item)s", { item: byId[id] ? byId[id].text : "" }) }),
          h("button", { type: "button", class: "icon-button", text: "↓", id: "down-" + id,
            disabled: !open || n === ids.length - 1 ? true : null, onclick: move(1),
            "aria-label": t("Move down: %(item)s", { item: byId[id] ? byId[id].text : "" }) }),
          h("button", { type: "button", class: "icon-button", text: "×", id: "drop-" + id,
            disabled: open ? null : true,
            "aria-label": t("Remove from your top: %(item)s", { item: byId[id] ? byId[id].text
              : "" }),
            onclick: function () {
              sendRanking(step, domainId, ids.filter(function (x) { return x !== id; }), send);
            } })));
    })) : h("p", { class: "muted", text: t("Tap items below in the order you prefer them.") }));
}

function rankControl(step, ballot, items, item, domainId, send, open) {
  var ids = ranking(ballot, items);
  var place = ids.indexOf(item.id);
  if (place !== -1) return h("p", { class: "muted", text: t("Place %(n)s", { n: place + 1 }) });
  return h("button", { type: "button", class: "button small", id: "rank-" + item.id,
    disabled: !open || ids.length >= step.vote.rank_top ? true : null,
    text: t("Add to my top"), onclick: function () {
      sendRanking(step, domainId, ids.concat([item.id]), send);
    } });
}
