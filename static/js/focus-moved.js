// After moving a work domain or agenda step the page reloads; give keyboard focus back to the
// button just used, so pressing Enter again keeps moving the same domain.
function focusMovedButton() {
  var params = new URLSearchParams(window.location.search);
  var moved = params.get("moved");
  var dir = params.get("dir") === "down" ? "down" : "up";
  if (!moved || !/^\d+$/.test(moved)) return;
  var item = document.getElementById("domain-" + moved) || document.getElementById("step-" + moved) ||
    document.getElementById("item-" + moved);
  if (!item) return;
  var button = item.querySelector(":scope > .tree-row button[data-dir=\"" + dir + "\"]") ||
    item.querySelector("button[data-dir=\"" + dir + "\"]");
  if (!button || button.disabled) {
    button = item.querySelector('button[data-dir="' + (dir === "up" ? "down" : "up") + '"]');
  }
  if (button && !button.disabled) button.focus();
  // Clean the address bar so a reload does not move focus again.
  params.delete("moved");
  params.delete("dir");
  var query = params.toString();
  history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
}

focusMovedButton();
