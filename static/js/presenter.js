// The presenter screen (projector): lobby, information, and the live wall of proposals.
// No controls: it follows the console. Long columns page by themselves.
(function () {
  "use strict";
  var K = window.Koers, h = K.h, t = K.t;
  var config = JSON.parse(document.getElementById("koers-config").textContent);
  var model = { stage: null, proposals: {}, presence: null, tally: null };
  var body = document.getElementById("p-body");
  var known = {}; // proposal ids already shown: only new cards animate in
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  K.connectStaff(config, model, {
    render: function () { render(); },
    presence: function () { renderCount(); },
    tally: function () { render(); },
  });

  function renderCount() {
    var el = document.getElementById("lobby-count");
    if (!el || !model.presence || !model.stage) return;
    var parts = model.stage.groups.map(function (g) {
      return g.name + ": " + (model.presence.joined[String(g.id)] || 0);
    });
    el.textContent = t("Joined: %(n)s", { n: model.presence.joined_total }) +
      (parts.length ? " — " + parts.join(" · ") : "");
  }

  function render() {
    var stage = model.stage;
    if (!stage) return;
    var step = stage.step;
    var foot = document.getElementById("p-foot");
    document.getElementById("p-title").textContent = step ? step.title : stage.workshop.title;
    if (!step) {
      foot.hidden = true;
      body.replaceChildren(document.getElementById("lobby-template").content.cloneNode(true));
      return renderCount();
    }
    foot.hidden = false;
    var nodes = [];
    if (step.state !== "open") {
      nodes.push(h("p", { class: "stage-badge",
        text: step.state === "paused" ? t("Paused") : step.state === "closed" ? t("Closed") : "" }));
    }
    if (step.body) nodes.push(h("p", { class: "presenter-text", text: step.body }));
    // Keep each column where the pager left it: a new card must not jump it to the top.
    var scrolled = {};
    document.querySelectorAll("[data-page]").forEach(function (el) {
      scrolled[el.getAttribute("data-page")] = el.scrollTop;
    });
    if (step.kind === "collect") nodes.push(renderWall(step));
    if (step.kind === "vote") {
      var shown = step.vote.reveal !== "hidden" && model.tally && model.tally.step_id === step.id;
      nodes.push(shown ? h("div", { class: "presenter-results", "data-page": "results" },
        K.renderTally(model.tally))
        : h("p", { class: "presenter-text", text: t("Voting is open. The results follow.") }));
    }
    body.replaceChildren.apply(body, nodes);
    document.querySelectorAll("[data-page]").forEach(function (el) {
      el.scrollTop = scrolled[el.getAttribute("data-page")] || 0;
    });
  }

  function renderWall(step) {
    var visible = Object.keys(model.proposals).map(function (id) { return model.proposals[id]; })
      .filter(function (p) { return p.step_id === step.id && p.status === "visible"; })
      .sort(function (a, b) { return a.id - b.id; });
    var domains = step.domains.length ? step.domains
      : [{ id: null, name: t("Whole plan"), colour: "#1f5f8b" }];
    return h("div", { class: "wall", style: "--columns: " + domains.length },
      domains.map(function (d) {
        var cards = visible.filter(function (p) { return p.domain_id === d.id; });
        return h("section", { class: "wall-column", style: "--domain: " + d.colour },
          h("h2", { class: "wall-domain" }, d.name,
            h("span", { class: "count", text: String(cards.length) })),
          h("div", { class: "wall-cards", "data-page": "wall-" + d.id }, cards.map(function (p) {
            var fresh = !known[p.id];
            known[p.id] = true;
            return h("article", { class: "wall-card" + (fresh && !reduceMotion ? " is-new" : "") },
              h("p", { text: p.text }),
              p.author_count > 1 ? h("p", { class: "wall-authors", text: "×" + p.author_count })
                : null);
          })));
      }));
  }

  // A column (or the results) taller than the screen shows its next page every 8
  // seconds, then the top. One timer for the page's life: redraws never restart it.
  window.setInterval(function () {
      document.querySelectorAll("[data-page]").forEach(function (column) {
        if (column.scrollHeight <= column.clientHeight + 4) return;
        var next = column.scrollTop + column.clientHeight * 0.9;
        column.scrollTop = next >= column.scrollHeight - column.clientHeight + 4 ? 0 : next;
      });
  }, 8000);

  K.runTimer(document.getElementById("timer"), function () {
    return model.stage && model.stage.step;
  });
})();
