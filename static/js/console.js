// The facilitator's console: agenda, the live step's controls, presence and moderation.
import { connectStaff, h, keepFocus, runTimer, strings, t, tn } from "./live.js";
import { createOutbox } from "./outbox.js";
import { renderTally } from "./results.js";

var config = JSON.parse(document.getElementById("koers-config").textContent);
var model = { stage: null, agenda: [], proposals: {}, presence: null, selected: {},
              editing: null, editText: null, tally: null };
var errorEl = document.getElementById("console-error");

var live = connectStaff(config, model, {
  render: function () { render(); },
  presence: function () { renderPresence(); },
  tally: function () { renderModeration(); },
  afterSnapshot: function () { outbox.flush(); },
  onConnection: function (connected) { if (connected) outbox.flush(); },
});

// Commands not yet acknowledged, sent again (same cid) after a reconnect.
var outbox = createOutbox(live, {
  onAnswer: function (_item, ack) { showError(ack.ok ? null : ack.error); },
});

function showError(text) {
  errorEl.textContent = text || "";
  errorEl.hidden = !text;
}

function command(event, payload) { outbox.add(event, payload); }

function renderPresence() {
  var el = document.getElementById("presence");
  var p = model.presence;
  if (!p || !model.stage) return;
  var parts = [t("Connected: %(n)s", { n: p.connected_total })];
  model.stage.groups.forEach(function (g) {
    parts.push(g.name + " " + (p.connected[String(g.id)] || 0));
  });
  parts.push(t("Joined: %(n)s", { n: p.joined_total }));
  el.textContent = parts.join(" · ");
}

function render() {
  if (!model.stage) return;
  keepFocus(function () {
    renderPresence();
    renderHeader();
    renderAgenda();
    renderLive();
    renderModeration();
  });
}

function renderHeader() {
  var w = model.stage.workshop;
  var joining = document.getElementById("toggle-joining");
  joining.textContent = w.joining_open ? t("Close joining") : t("Open joining");
  joining.onclick = function () { command("set_joining", { open: !w.joining_open }); };
  var finish = document.getElementById("finish");
  finish.textContent = t("Finish workshop");
  finish.disabled = w.status === "finished";
  finish.onclick = function () {
    if (window.confirm(t("Finish the workshop? Phones will show that it has ended."))) {
      command("finish_workshop");
    }
  };
}

function renderAgenda() {
  var liveId = model.stage.step ? model.stage.step.id : null;
  var items = model.agenda.map(function (s, index) {
    var isLive = s.id === liveId;
    var label = s.state === "pending" ? t("Start")
      : isLive ? (s.state === "closed" ? t("Reopen") : null) : t("Reopen");
    return h("li", { class: "agenda-item state-" + s.state + (isLive ? " is-live" : ""),
                     "aria-current": isLive ? "step" : null },
      h("span", { class: "step-number", text: String(index + 1) }),
      h("span", { class: "agenda-title" }, h("strong", { text: s.title }),
        h("span", { class: "muted", text: strings.states[s.state] })),
      label ? h("button", { type: "button", class: "button small", text: label,
        id: "agenda-start-" + s.id,
        "aria-label": label + ": " + s.title,
        onclick: function () { command("start_step", { step_id: s.id }); } }) : null);
  });
  document.getElementById("agenda").replaceChildren.apply(
    document.getElementById("agenda"), items);
}

function renderLive() {
  var step = model.stage.step;
  document.getElementById("live-heading").textContent = step ? step.title
    : t("No step is live. Start one from the agenda.");
  document.getElementById("live-kind").textContent = step
    ? [step.kind === "collect" ? strings.item_kinds[step.item_kind]
      : step.kind === "vote" ? strings.methods[step.vote.method] : null,
      step.kind === "collect" ? tn(step.limit_per_domain && step.domains.length
        ? "%(num)s proposal per person in each work domain"
        : "%(num)s proposal per person in the step", step.max_per_participant) : null,
      strings.states[step.state]].filter(Boolean).join(" · ") : "";
  var controls = [];
  if (step && step.state === "open") {
    controls.push(button(t("Pause"), "pause_step"));
  }
  if (step && step.state === "paused") controls.push(button(t("Resume"), "resume_step"));
  if (step && step.state !== "closed") {
    controls.push(button(t("Close step"), "close_step"));
    controls.push(button(t("+1 min"), "extend_timer", { seconds: 60 }));
    controls.push(button(t("+5 min"), "extend_timer", { seconds: 300 }));
  }
  var el = document.getElementById("live-controls");
  el.replaceChildren.apply(el, controls);
}

function button(label, event, payload) {
  return h("button", { type: "button", class: "button", text: label,
    id: "ctl-" + event + (payload && payload.seconds ? "-" + payload.seconds : ""),
    onclick: function () { command(event, payload); } });
}

function renderResults(el, step) {
  var modes = [["hidden", t("Only here")], ["presenter", t("On the projector")],
               ["everyone", t("For everyone")]];
  var reveal = h("fieldset", { class: "reveal" }, h("legend", { text: t("Who sees results") }),
    modes.map(function (mode) {
      return h("label", { class: "reveal-option" }, h("input", { type: "radio", name: "reveal",
        id: "reveal-" + mode[0], value: mode[0],
        checked: step.vote.reveal === mode[0] ? true : null,
        onchange: function () { command("set_reveal", { step_id: step.id, reveal: mode[0] }); },
      }), mode[1]);
    }));
  var top = step.vote.presenter_top;
  var projector = h("p", { class: "muted", id: "projector-top", text: top
    ? t("Projector: top %(n)s per work domain", { n: top })
    : t("Projector: every item, in pages when they do not fit") });
  var tally = model.tally && model.tally.step_id === step.id ? model.tally : null;
  el.replaceChildren(reveal, projector, tally ? renderTally(tally)
    : h("p", { class: "muted", text: t("Results appear here as votes arrive.") }));
}

function renderModeration() {
  var el = document.getElementById("moderation");
  var step = model.stage.step;
  if (step && step.kind === "vote") return renderResults(el, step);
  if (!step || step.kind !== "collect") return el.replaceChildren();
  var all = Object.keys(model.proposals).map(function (id) { return model.proposals[id]; })
    .filter(function (p) { return p.step_id === step.id && p.status !== "withdrawn"; });
  var waiting = all.filter(function (p) { return p.status === "pending"; }).length;
  var groups = step.domains.length ? step.domains
    : [{ id: null, name: t("Whole plan"), colour: "#1f5f8b" }];
  var summary = h("p", { class: "moderation-summary" },
    t("Proposals: %(n)s", { n: all.filter(function (p) { return p.status !== "merged"; })
      .length }),
    waiting ? h("strong", { class: "attention", text: " · " + t("Waiting for approval: %(n)s",
      { n: waiting }) }) : null);
  var columns = groups.map(function (d) {
    var mine = all.filter(function (p) { return p.domain_id === d.id && p.status !== "merged"; });
    return h("section", { class: "mod-column", style: { "--domain": d.colour },
                          "aria-label": d.name },
      h("h3", { class: "mod-domain" }, h("span", { class: "dot", style: { "--dot": d.colour } }),
        d.name, h("span", { class: "count", text: String(mine.length) })),
      mine.length ? h("ul", { class: "mod-list" }, mine.map(function (p) {
        return renderCard(p, all);
      })) : h("p", { class: "muted",
        text: t("No proposals yet — they appear here as people send them.") }));
  });
  el.replaceChildren(summary, h("div", { class: "mod-columns" }, columns));
}

function renderCard(p, all) {
  var absorbed = all.filter(function (c) { return c.merged_into_id === p.id; });
  var selectedOthers = Object.keys(model.selected).map(Number).filter(function (id) {
    var other = model.proposals[id];
    return model.selected[id] && id !== p.id && other && other.domain_id === p.domain_id
      && other.status !== "merged";
  });
  var authors = p.authors.length ? p.authors.join(", ") : t("Anonymous");
  var status = p.status === "pending" ? t("waiting for approval")
    : p.status === "hidden" ? t("hidden") : null;
  var actions = [
    h("label", { class: "select" }, h("input", { type: "checkbox",
      checked: model.selected[p.id] ? true : null, "aria-label": t("Select") + ": " + p.text,
      onchange: function (e) { model.selected[p.id] = e.target.checked; render(); } }),
      t("Select")),
  ];
  if (p.status === "pending") actions.push(modButton(t("Approve"), "approve_proposal", p));
  actions.push(p.status === "hidden" ? modButton(t("Show again"), "unhide_proposal", p)
    : modButton(t("Hide"), "hide_proposal", p));
  actions.push(h("button", { type: "button", class: "button small", text: t("Edit"),
    onclick: function () {
      model.editing = p.id;
      model.editText = p.text;
      render();
      document.getElementById("edit-" + p.id).focus();
    } }));
  if (selectedOthers.length) {
    actions.push(h("button", { type: "button", class: "button small primary",
      text: t("Merge selected into this"), onclick: function () {
        command("merge_proposals", { target_id: p.id, source_ids: selectedOthers });
        model.selected = {};
      } }));
  }
  return h("li", { class: "mod-card status-" + p.status, id: "proposal-" + p.id },
    model.editing === p.id ? renderEditor(p) : h("p", { class: "mod-text", text: p.text }),
    h("p", { class: "muted small", text: authors + (status ? " · " + status : "") }),
    h("div", { class: "mod-actions" }, actions),
    absorbed.length ? h("ul", { class: "absorbed" }, absorbed.map(function (c) {
      return h("li", {}, h("span", { text: c.text }), h("button", { type: "button",
        class: "button small", text: t("Undo merge"),
        onclick: function () { command("unmerge_proposal", { proposal_id: c.id }); } }));
    })) : null);
}

function modButton(label, event, p) {
  return h("button", { type: "button", class: "button small", text: label,
    id: event + "-" + p.id,
    onclick: function () { command(event, { proposal_id: p.id }); } });
}

function renderEditor(p) {
  var area = h("textarea", { rows: "3", id: "edit-" + p.id, "aria-label": t("Edit") });
  area.value = model.editText;
  area.addEventListener("input", function () { model.editText = area.value; });
  return h("form", { novalidate: true, onsubmit: function (e) {
    e.preventDefault();
    command("moderate_edit", { proposal_id: p.id, text: area.value });
    model.editing = null;
    render();
  } }, area, h("div", { class: "mod-actions" },
    h("button", { type: "submit", class: "button small primary", text: t("Save") }),
    h("button", { type: "button", class: "button small", text: t("Cancel"),
      onclick: function () { model.editing = null; render(); } })));
}

runTimer(document.getElementById("timer"), function () {
  return model.stage && model.stage.step;
});
