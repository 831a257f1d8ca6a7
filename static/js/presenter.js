// The presenter screen (projector): lobby, information, the live wall of proposals and
// the vote results. No controls: it follows the console. What does not fit one screen is
// shown in pages that turn by themselves, with "2 / 3" in the corner.
import { connectStaff, h, runTimer, t, tn } from "./live.js";
import * as R from "./results.js";

var config = JSON.parse(document.getElementById("koers-config").textContent);
var model = { stage: null, proposals: {}, presence: null, tally: null };
var body = document.getElementById("p-body");
var indicator = document.getElementById("p-page");
var known = {}; // proposal ids already shown: only new cards animate in
var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
// Seconds a page stays up; the route may set it (tests), else pageDelay() decides.
var PAGE_MS = (Number(config.page_seconds) || 0) * 1000;
// More work domains than this side by side get too narrow to read: they take turns.
var MAX_COLUMNS = 4;
var pager = { key: null, page: 0, pages: [] };

connectStaff(config, model, {
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
    paginate(null);
    return renderCount();
  }
  foot.hidden = false;
  var nodes = [];
  if (step.state !== "open") {
    nodes.push(h("p", { class: "stage-badge",
      text: step.state === "paused" ? t("Paused") : step.state === "closed" ? t("Closed") : "" }));
  }
  var shown = step.kind === "vote" && step.vote.reveal !== "hidden" && model.tally &&
    model.tally.step_id === step.id;
  // With the results up, the question is in the title; the screen is for the charts.
  if (step.body && !shown) {
    nodes.push(h("p", { class: "presenter-text" + (step.kind === "info" ? " is-info" : ""),
                        text: step.body }));
  }
  var paged = null;
  if (step.kind === "collect") paged = renderWall(step);
  if (step.kind === "vote") {
    if (shown) paged = renderResults(step, model.tally);
    else nodes.push(h("p", { class: "presenter-text", text: t("Voting is open. The results follow.") }));
  }
  if (paged) nodes.push(paged);
  body.replaceChildren.apply(body, nodes);
  if (step.kind === "info") fitText(body.querySelector(".presenter-text"));
  paginate(paged, step.id + ":" + (shown ? "results" : step.kind));
}

// Split `n` work domains over as few screens as possible, each as full as the others.
function perScreen(n, most) {
  if (n < 1) return 1;
  return Math.ceil(n / Math.ceil(n / (most || MAX_COLUMNS)));
}

function column(className, colour, head, listClass, items, empty) {
  return h("section", { class: className + " pager-column", style: colour
    ? { "--domain": colour } : null }, head,
    h(listClass === "result-bars" ? "ol" : "div", { class: listClass + " pager-list" },
      items.length ? items : h("p", { class: "pager-item presenter-empty", text: empty })));
}

function renderWall(step) {
  var visible = Object.keys(model.proposals).map(function (id) { return model.proposals[id]; })
    .filter(function (p) { return p.step_id === step.id && p.status === "visible"; })
    .sort(function (a, b) { return a.id - b.id; });
  var domains = step.domains.length ? step.domains
    : [{ id: null, name: t("Whole plan"), colour: "#1f5f8b" }];
  return h("div", { class: "wall pager", style: { "--columns": perScreen(domains.length) } },
    domains.map(function (d) {
      var cards = visible.filter(function (p) { return p.domain_id === d.id; });
      return column("wall-column", d.colour,
        h("h2", { class: "wall-domain" }, h("span", { class: "wall-domain-name", text: d.name }),
          h("span", { class: "count", text: String(cards.length) })),
        "wall-cards", cards.map(function (p) {
          var fresh = !known[p.id];
          known[p.id] = true;
          return h("article", { class: "wall-card pager-item" +
                                (fresh && !reduceMotion ? " is-new" : "") },
            h("p", { text: p.text }),
            p.author_count > 1 ? h("p", { class: "wall-authors", text: "×" + p.author_count })
              : null);
        }), t("No proposals yet — they appear here as people send them."));
    }));
}

// Which rows of a domain the projector shows: all, or the top N (and rows tied with the
// N-th, so no one of equal items is left out by chance).
function topRows(items, top) {
  if (!top || items.length <= top) return items;
  var cut = items[top - 1].value || 0;
  return items.filter(function (row, index) {
    return index < top || (cut > 0 && (row.value || 0) === cut);
  });
}

// Places as in a ranking: equal values share a place (1, 2, 2, 4).
function places(items) {
  return items.map(function (row) {
    return 1 + items.filter(function (other) {
      return (other.value || 0) > (row.value || 0);
    }).length;
  });
}

function meter(value, max, className, label) {
  var width = max > 0 && value ? Math.max(2, (value / max) * 100) : 0;
  return h("span", { class: "bar " + className },
    h("span", { class: "bar-track" },
      h("span", { class: "bar-fill", style: { width: width.toFixed(1) + "%" } })),
    h("span", { class: "bar-value", text: label }));
}

function renderResults(step, tally) {
  var top = step.vote.presenter_top;
  var groupIndex = {};
  tally.groups.forEach(function (g, index) { groupIndex[String(g.id)] = index; });
  var splitGroups = {};
  var diverges = false;
  var columns = tally.domains.map(function (domain) {
    var max = 0;
    domain.items.forEach(function (row) {
      max = Math.max(max, row.value || 0);
      domain.shown_groups.forEach(function (gid) { max = Math.max(max, row.by_group[gid] || 0); });
      diverges = diverges || row.diverges;
    });
    if (tally.method === "score") max = Math.max(max, 1);
    domain.shown_groups.forEach(function (gid) { splitGroups[gid] = true; });
    var rows = topRows(domain.items, top);
    var place = places(domain.items);
    var items = rows.map(function (row, index) {
      return h("li", { class: "result-row pager-item" + (row.diverges ? " diverges" : ""),
                       "aria-hidden": "true" },
        h("span", { class: "result-place", text: String(place[index]) }),
        h("span", { class: "result-text" }, row.text,
          row.diverges ? h("span", { class: "diverge-mark", text: " ◆" }) : null),
        meter(row.value, max, "total", R.format(row.value, tally.method)),
        domain.shown_groups.length ? h("span", { class: "splits" },
          domain.shown_groups.map(function (gid) {
            return meter(row.by_group[gid], max, "split group-" + groupIndex[gid],
              R.format(row.by_group[gid], tally.method));
          })) : null);
    });
    var more = domain.items.length - rows.length;
    if (more > 0) {
      items.push(h("li", { class: "result-more pager-item", "aria-hidden": "true",
                           text: tn("and %(num)s more", more) }));
    }
    return column("result-domain", domain.colour,
      h("header", { class: "result-head" },
        h("h2", { class: "result-title", text: domain.name || t("Whole plan") }),
        h("p", { class: "result-voters", text: t("Voters: %(n)s",
          { n: domain.voters.total }) }),
        h("div", { class: "visually-hidden print-table" }, R.table(tally, domain))),
      "result-bars", items, t("Nothing to vote on here yet."));
  });
  var legend = tally.groups.filter(function (g) { return splitGroups[String(g.id)]; })
    .map(function (g) {
      return h("span", { class: "legend-item" }, h("span", { class: "legend-swatch group-" +
        groupIndex[String(g.id)] }), g.name);
    });
  // The large bar is everyone; the small ones under it are the groups, in this order.
  if (legend.length) legend.unshift(h("span", { class: "legend-item", text: t("By group:") }));
  if (diverges) {
    legend.push(h("span", { class: "legend-item" }, h("span", { class: "diverge-mark",
      text: "◆" }), t("The groups rank this item far apart")));
  }
  if (top) legend.push(h("span", { class: "legend-item", text: t("Top %(n)s per work domain",
    { n: top }) }));
  return h("div", { class: "presenter-results" },
    legend.length ? h("p", { class: "results-legend" }, legend) : null,
    h("div", { class: "results-columns pager", style: { "--columns":
      perScreen(columns.length) } }, columns));
}

// Shrink a long information text until it fits, but never below body size.
function fitText(el) {
  if (!el) return;
  el.style.fontSize = "";
  var size = parseFloat(window.getComputedStyle(el).fontSize);
  var floor = parseFloat(window.getComputedStyle(document.body).fontSize);
  while (el.scrollHeight > el.clientHeight + 1 && size > floor) {
    size = Math.max(floor, size * 0.92);
    el.style.fontSize = size + "px";
  }
}

// -- paging ---------------------------------------------------------------------------
// A page is a set of work domains side by side (at most MAX_COLUMNS) and, per domain,
// the slice of its items that fits the column's height: measured, not guessed, so long
// texts get fewer per page. Domains with fewer slices keep their last one in view.

function slices(list) {
  var items = Array.prototype.slice.call(list.children);
  items.forEach(function (item) { item.classList.remove("is-off"); });
  var room = list.clientHeight;
  var found = [];
  var start = 0;
  var top = items.length ? items[0].offsetTop : 0;
  items.forEach(function (item, index) {
    if (index > start && item.offsetTop + item.offsetHeight - top > room) {
      found.push([start, index]);
      start = index;
      top = item.offsetTop;
    }
  });
  if (items.length) found.push([start, items.length]);
  return found;
}

// Pages for `size` domains side by side; two or fewer get the wide row layout (the
// bars beside the text instead of under it).
function layout(container, columns, size) {
  container.style.setProperty("--columns", size);
  container.classList.toggle("is-wide", size <= 2);
  var pages = [];
  for (var first = 0; first < columns.length; first += size) {
    var group = columns.slice(first, first + size);
    columns.forEach(function (c) { c.classList.toggle("is-off", group.indexOf(c) === -1); });
    var cut = group.map(function (c) { return slices(c.querySelector(".pager-list")); });
    var count = Math.max.apply(null, cut.map(function (s) { return s.length; }).concat(1));
    for (var n = 0; n < count; n++) {
      pages.push({ columns: columns, group: group, cut: cut, index: n });
    }
  }
  return pages;
}

function paginate(root, key) {
  var fresh = key !== pager.key;
  if (fresh) pager.page = 0;
  pager.key = key;
  pager.pages = [];
  if (root) {
    var container = root.classList.contains("pager") ? root : root.querySelector(".pager");
    var columns = Array.prototype.slice.call(container.querySelectorAll(".pager-column"));
    // Four narrow columns, or two wide ones: whichever needs fewer pages (long texts
    // waste less room in wide columns). A tie keeps every domain in view at once.
    var sizes = [perScreen(columns.length, MAX_COLUMNS)];
    if (columns.length > 2) sizes.push(perScreen(columns.length, 2));
    var best = null;
    sizes.forEach(function (size) {
      var count = layout(container, columns, size).length;
      if (!best || count < best.count) best = { size: size, count: count };
    });
    pager.pages = layout(container, columns, best.size);
  }
  if (pager.page >= pager.pages.length) pager.page = 0;
  showPage(false);
  if (fresh) restartTurns();
}

function showPage(turning) {
  var page = pager.pages[pager.page];
  var total = pager.pages.length;
  // Hidden without leaving the layout: the pages were measured with it in place.
  indicator.classList.toggle("is-idle", total < 2);
  indicator.textContent = (pager.page + 1) + " / " + Math.max(total, 1);
  indicator.setAttribute("aria-label", t("Page %(n)s of %(total)s",
    { n: pager.page + 1, total: total }));
  if (!page) return;
  page.columns.forEach(function (c) { c.classList.toggle("is-off", page.group.indexOf(c) === -1); });
  page.group.forEach(function (c, index) {
    var cut = page.cut[index];
    var slice = cut[Math.min(page.index, cut.length - 1)] || [0, 0];
    var list = c.querySelector(".pager-list");
    Array.prototype.forEach.call(list.children, function (item, n) {
      item.classList.toggle("is-off", n < slice[0] || n >= slice[1]);
    });
    if (turning && !reduceMotion) {
      list.classList.remove("is-turning");
      void list.offsetWidth; // restart the fade
      list.classList.add("is-turning");
    }
  });
}

// Every page comes round within half a minute: 8 s a page when there are few, down to
// 4 s when there are many (a facilitator with that much can choose a top N instead).
function pageDelay() {
  if (PAGE_MS) return PAGE_MS;
  var turns = Math.max(1, pager.pages.length - 1);
  return Math.min(8000, Math.max(4000, Math.floor(24000 / turns)));
}

// Redraws (a new vote, a new card) never restart the timer; new content (another
// step, results just revealed) starts at its first page with a full turn.
var timer = null;
function turn() {
  if (pager.pages.length > 1) {
    pager.page = (pager.page + 1) % pager.pages.length;
    showPage(true);
  }
  timer = window.setTimeout(turn, pageDelay());
}
function restartTurns() {
  window.clearTimeout(timer);
  timer = window.setTimeout(turn, pageDelay());
}

// A window dragged to the projector or made full screen: measure again.
var resizing = null;
window.addEventListener("resize", function () {
  window.clearTimeout(resizing);
  resizing = window.setTimeout(render, 150);
});

runTimer(document.getElementById("timer"), function () {
  return model.stage && model.stage.step;
});
