// Promote page: the item boxes can be ticked only in "the ones I tick" mode, and only
// the number that belongs to the chosen mode (how many, or from which score) is shown.
var form = document.querySelector("form[data-promote]");
if (form) {
  var hint = document.getElementById("pick-hint");
  function update() {
    var chosen = form.querySelector("input[name=mode]:checked");
    var mode = chosen ? chosen.value : "top";
    form.querySelectorAll("input[name=picked]").forEach(function (box) {
      box.disabled = mode !== "pick" || box.hasAttribute("data-done");
    });
    form.querySelectorAll("[data-mode]").forEach(function (box) {
      // A field with an error stays in sight, whatever the mode, so it can be put right.
      box.hidden = box.getAttribute("data-mode") !== mode && !box.querySelector(".has-error");
    });
    if (hint) hint.hidden = mode === "pick";
  }
  form.querySelectorAll("input[name=mode]").forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
}
