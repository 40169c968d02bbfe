/* Keeps a half-filled survey across a reload, an accidental back or a dropped connection on a
   phone: answers are copied to localStorage (per invitation token) as they are given and put
   back when the form opens again. Removed once the response is in (thanks page), so a shared
   device keeps nothing. No inline script: loaded as a static file. */
(function () {
  "use strict";
  var PREFIX = "mpp-skm:";
  var store;
  try { store = window.localStorage; store.setItem(PREFIX + "t", "1"); store.removeItem(PREFIX + "t"); }
  catch (e) { return; }

  var done = document.querySelector("[data-survey-done][data-survey-token]");
  if (done) { store.removeItem(PREFIX + done.getAttribute("data-survey-token")); return; }

  var form = document.getElementById("survey-form");
  if (!form) { return; }
  var key = PREFIX + form.getAttribute("data-token");

  function collect() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "hidden") { return; }
      if (el.type === "radio") { if (el.checked) { data[el.name] = el.value; } }
      else if (el.value) { data[el.name] = el.value; }
    });
    return data;
  }

  function save() {
    try { store.setItem(key, JSON.stringify({ at: Date.now(), data: collect() })); } catch (e) { /* full */ }
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.data) { return false; }
    var restored = false;
    Object.keys(saved.data).forEach(function (name) {
      var value = saved.data[name];
      var fields = form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]');
      if (!fields.length) { return; }
      if (fields[0].type === "radio") {
        var any = Array.prototype.some.call(fields, function (f) { return f.checked; });
        if (any) { return; } /* what the server sent back wins */
        Array.prototype.forEach.call(fields, function (f) {
          if (f.value === value) { f.checked = true; restored = true; }
        });
      } else if (!fields[0].value) {
        fields[0].value = value; restored = true;
      }
    });
    return restored;
  }

  if (restore()) {
    var note = document.getElementById("draft-note");
    if (note) { note.hidden = false; }
  }
  form.addEventListener("change", save);
  form.addEventListener("input", save);

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
