// Vote results as bar charts (sorted, labelled with text and number), group splits side
// by side on one scale, and a table with the same figures for screen readers and print.
import { h, t } from "./live.js";


function format(value, method) {
  if (value === null || value === undefined) return "–";
  return method === "score" ? String(value) : String(Math.round(value));
}

function groupName(tally, gid) {
  var group = tally.groups.filter(function (g) { return String(g.id) === String(gid); })[0];
  return group ? group.name : "";
}

function voterLine(tally, domain) {
  var parts = [t("Voters: %(n)s", { n: domain.voters.total })];
  tally.groups.forEach(function (g) {
    parts.push(g.name + " " + (domain.voters.by_group[String(g.id)] || 0));
  });
  return parts.join(" · ");
}

function bar(value, max, className, label) {
  var width = max > 0 && value ? Math.max(2, (value / max) * 100) : 0;
  return h("span", { class: "bar " + (className || "") },
    h("span", { class: "bar-fill", style: { width: width.toFixed(1) + "%" } }),
    h("span", { class: "bar-value", text: label }));
}

function table(tally, domain) {
  var head = [h("th", { scope: "col", text: t("Item") }),
              h("th", { scope: "col", text: t("Result") })];
  domain.shown_groups.forEach(function (gid) {
    head.push(h("th", { scope: "col", text: groupName(tally, gid) }));
  });
  return h("table", { class: "results-table" },
    h("caption", { text: (domain.name || t("Whole plan")) + " — " + voterLine(tally, domain) }),
    h("thead", {}, h("tr", {}, head)),
    h("tbody", {}, domain.items.map(function (row) {
      var cells = [h("th", { scope: "row", text: row.text + (row.diverges
        ? " (" + t("groups differ") + ")" : "") }),
        h("td", { text: format(row.value, tally.method) })];
      domain.shown_groups.forEach(function (gid) {
        cells.push(h("td", { text: format(row.by_group[gid], tally.method) }));
      });
      return h("tr", {}, cells);
    })));
}

// renderTally(tally, {compact}) -> element with one chart per work domain.
export function renderTally(tally, opts) {
  opts = opts || {};
  return h("div", { class: "results" + (opts.compact ? " is-compact" : "") },
    tally.domains.map(function (domain) {
      var max = 0;
      domain.items.forEach(function (row) {
        max = Math.max(max, row.value || 0);
        domain.shown_groups.forEach(function (gid) { max = Math.max(max, row.by_group[gid] || 0); });
      });
      if (tally.method === "score") max = Math.max(max, 1);
      var rows = domain.items.map(function (row) {
        var groups = domain.shown_groups.map(function (gid, index) {
          return h("span", { class: "split" },
            h("span", { class: "split-name", text: groupName(tally, gid) }),
            bar(row.by_group[gid], max, "group-" + index, format(row.by_group[gid], tally.method)));
        });
        return h("li", { class: "result-row" + (row.diverges ? " diverges" : ""),
                         "aria-hidden": "true" },
          h("span", { class: "result-text", text: row.text }),
          bar(row.value, max, "total", format(row.value, tally.method)),
          groups.length ? h("span", { class: "splits" }, groups) : null,
          row.diverges ? h("span", { class: "diverge-note", text: t("groups differ") }) : null);
      });
      return h("section", { class: "result-domain", style: domain.colour
        ? { "--domain": domain.colour } : null },
        h("h3", { class: "result-title", text: domain.name || t("Whole plan") }),
        h("p", { class: "result-voters", text: voterLine(tally, domain) }),
        domain.items.length ? h("ol", { class: "result-bars" }, rows)
          : h("p", { class: "muted", text: t("Nothing to vote on here yet.") }),
        h("div", { class: "visually-hidden print-table" }, table(tally, domain)));
    }));
}

// The pieces, for screens that lay results out their own way (the presenter pages them).
export { format, groupName, bar, table };
