// Step form: show only the settings of the chosen voting method.
(function () {
  var select = document.getElementById("vote_method");
  if (!select) return;
  function update() {
    document.querySelectorAll(".method-settings").forEach(function (box) {
      box.hidden = box.getAttribute("data-method") !== select.value;
    });
  }
  select.addEventListener("change", update);
  update();
})();
