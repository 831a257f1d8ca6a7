// Stakeholder page: times in the reader's own time zone, and a suggested rewording shown
// as a word-by-word difference against the current wording.
(function () {
  "use strict";
  document.querySelectorAll("time.local-time").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (!isNaN(when)) {
      el.textContent = when.toLocaleString(document.documentElement.lang || undefined,
        { dateStyle: "full", timeStyle: "short" });
    }
  });

  function words(text) { return text.match(/\S+|\s+/g) || []; }

  // Longest common subsequence over words: good enough for one sentence.
  function diff(oldText, newText) {
    var a = words(oldText), b = words(newText);
    var n = a.length, m = b.length, table = [];
    for (var i = 0; i <= n; i++) { table.push(new Array(m + 1).fill(0)); }
    for (i = n - 1; i >= 0; i--) {
      for (var j = m - 1; j >= 0; j--) {
        table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1
          : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    var out = [];
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) { out.push(["same", a[i]]); i++; j++; }
      else if (table[i + 1][j] >= table[i][j + 1]) { out.push(["removed", a[i++]]); }
      else { out.push(["added", b[j++]]); }
    }
    while (i < n) out.push(["removed", a[i++]]);
    while (j < m) out.push(["added", b[j++]]);
    // Join neighbours of the same kind: "samen met de buurt" is one insertion.
    var joined = [];
    out.forEach(function (part) {
      var last = joined[joined.length - 1];
      if (last && last[0] === part[0]) last[1] += part[1];
      else joined.push(part.slice());
    });
    return joined;
  }

  document.querySelectorAll("textarea[data-old]").forEach(function (area) {
    var preview = area.parentNode.querySelector(".diff-preview");
    function show() {
      var value = area.value.trim();
      preview.hidden = !value;
      preview.replaceChildren();
      if (!value) return;
      diff(area.getAttribute("data-old"), value).forEach(function (part) {
        var tag = part[0] === "added" ? "ins" : part[0] === "removed" ? "del" : "span";
        var el = document.createElement(tag);
        el.textContent = part[1];
        preview.appendChild(el);
      });
    }
    area.addEventListener("input", show);
    show();
  });
})();
