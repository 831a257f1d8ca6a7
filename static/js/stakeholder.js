// Stakeholder page: times in the reader's own time zone; drafts per goal kept on this
// device while typing (so saving one goal, a reload or a lost connection loses nothing
// typed in another); one goal saved without reloading the page; and a suggested
// rewording shown as a word-by-word difference against the current wording.
import { ownScript } from "./own-script.js";

var script = ownScript(import.meta.url);
var text = function (name) { return script.getAttribute("data-" + name) || ""; };

// After a plain form post came back with a message, a reload must not post again.
var pageUrl = script.getAttribute("data-url");
if (pageUrl && window.location.pathname !== pageUrl) {
  window.history.replaceState(null, "", pageUrl + window.location.hash);
}

var store = {
  get: function (key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); }
    catch (e) { return null; }
  },
  set: function (key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); return true; }
    catch (e) { return false; } // private mode or full: the page still works
  },
  remove: function (key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }
};

function clean(value) { return (value || "").replace(/\r\n/g, "\n").trim(); }

function valuesOf(form) {
  var checked = form.querySelector("input[name=reaction]:checked");
  return { reaction: checked ? checked.value : "",
           text: form.elements.text.value, rewording: form.elements.rewording.value };
}

function same(a, b) {
  return a.reaction === b.reaction && clean(a.text) === clean(b.text) &&
    clean(a.rewording) === clean(b.rewording);
}

function fill(form, values) {
  form.querySelectorAll("input[name=reaction]").forEach(function (radio) {
    radio.checked = radio.value === values.reaction;
  });
  form.elements.text.value = values.text || "";
  form.elements.rewording.value = values.rewording || "";
}

function saved(form) {
  try { return JSON.parse(form.getAttribute("data-saved")); }
  catch (e) { return { reaction: "", text: "", rewording: "" }; }
}

// Keep what differs from the server's copy; show quietly that it is not sent yet.
function keep(form) {
  var key = form.getAttribute("data-draft"), now = valuesOf(form);
  var unsent = !same(now, saved(form));
  if (unsent) {
    now.at = Date.now();
    store.set(key, now);
  } else {
    store.remove(key);
  }
  form.querySelector(".draft-note").hidden = !unsent;
  return unsent;
}

function say(form, message, isError) {
  var error = form.querySelector(".form-error"), note = form.querySelector(".saved-note");
  error.hidden = !isError;
  error.textContent = isError ? message : "";
  note.textContent = isError ? "" : message;
}

// Drafts nobody came back for are not kept for ever on a shared computer.
try {
  for (var n = window.localStorage.length - 1; n >= 0; n--) {
    var name = window.localStorage.key(n);
    var old = name && name.indexOf("koers-draft:") === 0 ? store.get(name) : null;
    if (old && !(Date.now() - (old.at || 0) < 60 * 24 * 3600 * 1000)) store.remove(name);
  }
} catch (e) { /* no storage: nothing to tidy */ }

var forms = document.querySelectorAll("form.reaction-form");
forms.forEach(function (form) {
  var key = form.getAttribute("data-draft");
  var draft = store.get(key);
  if (form.hasAttribute("data-unsent")) {
    keep(form); // the server sent back what was typed, unsaved: keep it
  } else if (draft && !same(draft, saved(form))) {
    fill(form, draft);
    form.querySelector(".draft-note").hidden = false;
  } else if (draft) {
    store.remove(key);
  }
  form.addEventListener("input", function () { keep(form); });
  form.addEventListener("change", function () { keep(form); });
  form.addEventListener("submit", function (event) {
    if (!window.fetch || !window.FormData) return; // the plain post still works
    event.preventDefault();
    send(form, true);
  });
});

function newToken(token) {
  if (!token) return;
  document.querySelectorAll("input[name=csrf_token]").forEach(function (input) {
    input.value = token;
  });
}

function send(form, mayRetry) {
  var button = form.querySelector("button[type=submit]");
  var sent = valuesOf(form);
  if (button.disabled) return;
  button.disabled = true;
  form.querySelector(".saved-note").textContent = text("sending");
  fetch(form.action, {
    method: "POST", body: new FormData(form), credentials: "same-origin",
    headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
  }).then(function (response) {
    var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
    return (json ? response.json() : Promise.resolve(null)).then(function (data) {
      return { status: response.status, data: data };
    });
  }).then(function (answer) {
    button.disabled = false;
    var data = answer.data;
    if (data) newToken(data.csrf);
    if (data && data.ok) {
      form.setAttribute("data-saved", JSON.stringify(
        { reaction: sent.reaction, text: sent.text, rewording: sent.rewording }));
      form.removeAttribute("data-unsent");
      keep(form); // clears the draft, unless more was typed while sending
      button.textContent = data.button;
      var withdraw = form.parentNode.querySelector("form.withdraw-form");
      if (withdraw && data.withdraw) {
        withdraw.action = data.withdraw;
        withdraw.hidden = false;
      }
      say(form, data.message, false);
    } else if (data && data.expired && mayRetry) {
      send(form, false); // the page was open long: once more with the fresh token
    } else {
      keep(form);
      say(form, data && data.error ? data.error
        : answer.status === 429 ? text("busy") : text("failed"), true);
    }
  }).catch(function () {
    button.disabled = false;
    keep(form);
    say(form, text("offline"), true);
  });
}

document.querySelectorAll("time.local-time").forEach(function (el) {
  var when = new Date(el.getAttribute("datetime"));
  if (!isNaN(when)) {
    el.textContent = when.toLocaleString(document.documentElement.lang || undefined,
      { dateStyle: "full", timeStyle: "short" });
  }
});

function words(text) { return text.match(/\S+|\s+/g) || []; }

// Longest common subsequence over words: good enough for one sentence.
function diff(oldText, newText) {
  var a = words(oldText), b = words(newText);
  var n = a.length, m = b.length, table = [];
  for (var i = 0; i <= n; i++) { table.push(new Array(m + 1).fill(0)); }
  for (i = n - 1; i >= 0; i--) {
    for (var j = m - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1
        : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  var out = [];
  i = 0; j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push(["same", a[i]]); i++; j++; }
    else if (table[i + 1][j] >= table[i][j + 1]) { out.push(["removed", a[i++]]); }
    else { out.push(["added", b[j++]]); }
  }
  while (i < n) out.push(["removed", a[i++]]);
  while (j < m) out.push(["added", b[j++]]);
  // Join neighbours of the same kind: "samen met de buurt" is one insertion.
  var joined = [];
  out.forEach(function (part) {
    var last = joined[joined.length - 1];
    if (last && last[0] === part[0]) last[1] += part[1];
    else joined.push(part.slice());
  });
  return joined;
}

document.querySelectorAll("textarea[data-old]").forEach(function (area) {
  var preview = area.parentNode.querySelector(".diff-preview");
  function show() {
    var value = area.value.trim();
    preview.hidden = !value;
    preview.replaceChildren();
    if (!value) return;
    diff(area.getAttribute("data-old"), value).forEach(function (part) {
      var tag = part[0] === "added" ? "ins" : part[0] === "removed" ? "del" : "span";
      var el = document.createElement(tag);
      el.textContent = part[1];
      preview.appendChild(el);
    });
  }
  area.addEventListener("input", show);
  show();
});
