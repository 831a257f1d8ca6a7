// The join page: the name typed last time on this phone is filled in again, so a
// returning participant only taps their group and "Join". Kept on the device only.
(function () {
  "use strict";
  var KEY = "koers:name";
  var input = document.getElementById("display_name");
  if (!input) return;
  function get() { try { return window.localStorage.getItem(KEY) || ""; } catch (e) { return ""; } }
  function set(value) {
    try {
      if (value) window.localStorage.setItem(KEY, value);
      else window.localStorage.removeItem(KEY);
    } catch (e) { /* private mode or full: the name is simply not remembered */ }
  }
  if (!input.value) input.value = get();
  // Saved while typing: a page reloaded on flaky Wi-Fi keeps what was typed.
  input.addEventListener("input", function () { set(input.value.trim()); });
})();
