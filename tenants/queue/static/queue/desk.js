/* Counter desk: refreshes the waiting list every 5 s. When another screen changed this counter's
   current ticket the page reloads to show the right buttons, unless the operator is already
   submitting one (the answer to that submission shows the new state anyway). */
(function () {
  "use strict";
  var desk = document.getElementById("desk");
  if (!desk) return;
  var url = desk.dataset.url;
  var current = desk.dataset.current || "";
  var submitting = false;
  document.addEventListener("submit", function () { submitting = true; });
  var word = function (id) { var t = document.getElementById(id); return t ? t.innerHTML.trim() : ""; };

  function render(state) {
    var now = state.current ? String(state.current.id) + state.current.status : "";
    if (submitting) return;
    if (now !== current) { window.location.reload(); return; }
    document.getElementById("waiting-total").textContent = state.waiting_total;
    var list = document.getElementById("upcoming");
    var items = state.upcoming.map(function (t) {
      var li = document.createElement("li");
      var b = document.createElement("strong"); b.textContent = t.number;
      li.appendChild(b);
      li.appendChild(document.createTextNode(" " + t.label + (t.appointment ? " · " + word("t-booking") + " " + t.appointment : "")));
      return li;
    });
    if (!items.length) { var li = document.createElement("li"); li.textContent = word("t-none"); items = [li]; }
    list.replaceChildren.apply(list, items);
  }

  function poll() {
    fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) render(s); })
      .catch(function () {})
      .then(function () { if (!submitting) setTimeout(poll, 5000); });
  }
  setTimeout(poll, 5000);
})();
