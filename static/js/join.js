// The join page: the name typed last time on this phone is filled in again, so a
// returning participant only taps their group and "Join" (kept on the device only), and
// a reload after a lost answer repeats the same join attempt.
var KEY = "koers:name";
function get(key) { try { return window.localStorage.getItem(key) || ""; } catch (e) { return ""; } }
function set(key, value) {
  try {
    if (value) window.localStorage.setItem(key, value);
    else window.localStorage.removeItem(key);
  } catch (e) { /* private mode or full: simply not remembered */ }
}

// One join attempt keeps its key across a reload: when the answer to "Join" was lost on
// the venue Wi-Fi, joining again finds the participant it made instead of adding a
// second one. The server honours a key for 10 minutes; after 9 a fresh one is used.
var attempt = document.getElementById("join_key");
var form = attempt && attempt.form;
if (attempt && form && form.dataset.code) {
  var attemptKey = "koers:join:" + form.dataset.code;
  var saved = null;
  try { saved = JSON.parse(get(attemptKey) || "null"); } catch (e) { saved = null; }
  var failed = document.querySelector(".form-error, .error"); // the server's key stands
  if (!failed && saved && saved.key && Date.now() - saved.at < 9 * 60 * 1000) {
    attempt.value = saved.key;
  } else if (!saved || saved.key !== attempt.value) {
    set(attemptKey, JSON.stringify({ key: attempt.value, at: Date.now() }));
  }
}

var input = document.getElementById("display_name");
if (input) {
  if (!input.value) input.value = get(KEY);
  // Saved while typing: a page reloaded on flaky Wi-Fi keeps what was typed.
  input.addEventListener("input", function () { set(KEY, input.value.trim()); });
}
