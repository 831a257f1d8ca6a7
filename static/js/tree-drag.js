// Drag and drop within one list of the plan tree (the ↑ ↓ buttons do the same by
// keyboard). The new place is saved at once; the page then reloads to show the truth.
import { ownScript } from "./own-script.js";

var script = ownScript(import.meta.url);
var csrf = script.getAttribute("data-csrf");
var urlTemplate = script.getAttribute("data-url"); // …/items/0/place
var dragged = null;
document.querySelectorAll(".tree-item[draggable]").forEach(function (item) {
  item.addEventListener("dragstart", function (event) {
    dragged = item;
    event.stopPropagation();
    event.dataTransfer.effectAllowed = "move";
    item.classList.add("is-dragging");
  });
  item.addEventListener("dragend", function () {
    item.classList.remove("is-dragging");
  });
  item.addEventListener("dragover", function (event) {
    if (!dragged || dragged === item || dragged.parentNode !== item.parentNode) return;
    event.preventDefault();
    event.stopPropagation();
  });
  item.addEventListener("drop", function (event) {
    if (!dragged || dragged === item || dragged.parentNode !== item.parentNode) return;
    event.preventDefault();
    event.stopPropagation();
    var siblings = Array.prototype.filter.call(item.parentNode.children, function (el) {
      return el.classList.contains("tree-item");
    });
    var index = siblings.indexOf(item);
    fetch(urlTemplate.replace("/items/0/", "/items/" + dragged.getAttribute("data-item") + "/"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ index: index }),
      credentials: "same-origin",
    }).then(function () { window.location.reload(); });
  });
});
