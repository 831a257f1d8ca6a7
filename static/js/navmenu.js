// The facilitator's menu on phones is a <details>: it opens and closes without this
// script. This only adds what people expect of a menu: Escape closes it (focus back on
// "Menu"), and so does a tap or click anywhere else on the page.
var menu = document.getElementById("navmenu");
if (menu) {
  var summary = menu.querySelector("summary");
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      summary.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
}
