// The facilitator's review screen: comments arrive live (the list reloads, keeping the
// filters and whatever is being typed in an answer), links copy with one click.
import { openSocket } from "./live.js";
import { ownScript } from "./own-script.js";

var script = ownScript(import.meta.url);
var round = Number(script.getAttribute("data-round"));
var pageUrl = script.getAttribute("data-url");
// After an answer came back with a message (a POST), a reload must not post again.
if (pageUrl && window.location.pathname !== pageUrl) {
  window.history.replaceState(null, "", pageUrl + window.location.search +
                              window.location.hash);
}

document.addEventListener("click", function (event) {
  var id = event.target.getAttribute && event.target.getAttribute("data-copy");
  if (!id) return;
  var input = document.getElementById(id);
  input.select();
  if (navigator.clipboard) navigator.clipboard.writeText(input.value);
});

function typing() {
  var active = document.activeElement;
  return active && (active.tagName === "TEXTAREA" || active.tagName === "SELECT") &&
    document.getElementById("comments").contains(active);
}

var due = false;
function refresh() {
  if (typing()) { due = true; return; } // never wipe an answer being written
  due = false;
  var query = new URLSearchParams(window.location.search);
  query.set("fragment", "comments");
  fetch((pageUrl || window.location.pathname) + "?" + query.toString(),
        { credentials: "same-origin" })
    .then(function (r) { return r.text(); })
    .then(function (html) {
      var box = document.createElement("div");
      box.innerHTML = html;
      var fresh = box.querySelector("#comments");
      if (!fresh) return;
      // An answer half written (then left) survives the refresh.
      document.getElementById("comments").querySelectorAll("textarea, select")
        .forEach(function (old) {
          var changed = old.tagName === "TEXTAREA" ? old.value !== old.defaultValue
            : !old.options[old.selectedIndex] || !old.options[old.selectedIndex].defaultSelected;
          var twin = old.id && fresh.querySelector("#" + CSS.escape(old.id));
          if (changed && twin) twin.value = old.value;
        });
      document.getElementById("comments").replaceWith(fresh);
    });
}
document.addEventListener("focusout", function () { if (due) setTimeout(refresh, 200); });

// The live screens' connection: #conn while away, reconnecting, the end of the session.
openSocket({ review: round, role: "review" }).on("review_changed", refresh);
