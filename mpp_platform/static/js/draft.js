/* A form's draft kept on this device (localStorage), so what the citizen typed survives a dropped
   connection: a submit that never reached the server, a reload, a closed tab. Only what was typed
   or chosen in this form is kept: never files, passwords or hidden fields, nor a field marked
   data-no-draft. The draft is removed once the server has accepted the form (the next page carries
   data-draft-done) and when the citizen signs out (both in mpp.js, which every page loads), and
   after DAYS days. */
(function () {
  "use strict";
  var PREFIX = "mpp-draft:";
  var SENT = "mpp-draft-sent";
  var DAYS = 7;
  var store, session;
  try {
    store = window.localStorage;
    session = window.sessionStorage;
  } catch (e) {
    return; // storage switched off: the form works as before, without a kept draft
  }

  var form = document.querySelector("form[data-draft]");
  if (!form) return;
  var key = PREFIX + form.getAttribute("data-draft");
  var SKIP = { file: 1, password: 1, hidden: 1, submit: 1, button: 1, reset: 1, image: 1 };

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && !SKIP[el.type] && !el.hasAttribute("data-no-draft");
    });
  }

  function checkable(el) { return el.type === "checkbox" || el.type === "radio"; }

  function save() {
    var values = {}, checked = [], names = {};
    fields().forEach(function (el) {
      if (checkable(el)) {
        names[el.name] = 1;
        if (el.checked) checked.push(el.name + "=" + el.value);
      } else {
        values[el.name] = el.value;
      }
    });
    try {
      store.setItem(key, JSON.stringify({
        at: Date.now(), values: values, checked: checked, names: Object.keys(names)
      }));
    } catch (e) { /* storage full: nothing kept, nothing broken */ }
  }

  function restore() {
    var draft;
    try { draft = JSON.parse(store.getItem(key) || "null"); } catch (e) { draft = null; }
    if (!draft || !draft.values) return false;
    if (Date.now() - (draft.at || 0) > DAYS * 864e5) { store.removeItem(key); return false; }
    var changed = false;
    fields().forEach(function (el) {
      if (checkable(el)) {
        if (draft.names.indexOf(el.name) < 0) return;
        var on = draft.checked.indexOf(el.name + "=" + el.value) >= 0;
        if (el.checked !== on) { el.checked = on; changed = true; }
      } else if (Object.prototype.hasOwnProperty.call(draft.values, el.name)) {
        if (el.value !== draft.values[el.name]) { el.value = draft.values[el.name]; changed = true; }
      }
    });
    return changed;
  }

  if (restore()) {
    var note = document.querySelector("[data-draft-restored]");
    if (note) note.hidden = false;
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function () {
    save();
    session.setItem(SENT, key);
  });
})();
