// Buttons marked data-print open the browser's print dialog (no inline onclick: the
// Content-Security-Policy allows scripts from files only).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
