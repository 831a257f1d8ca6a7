// Step form: show only the settings of the chosen voting method.
var select = document.getElementById("vote_method");
if (select) {
  function update() {
    document.querySelectorAll(".method-settings").forEach(function (box) {
      box.hidden = box.getAttribute("data-method") !== select.value;
    });
  }
  select.addEventListener("change", update);
  update();
}
