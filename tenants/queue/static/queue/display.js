/* Hall display: polls the board every 2 s and redraws it; a new call flashes and, once the
   staff enabled sound, is spoken (id-ID). The page is complete without this script. */
(function () {
  "use strict";
  var hall = document.getElementById("hall");
  if (!hall) return;
  var url = hall.dataset.url;
  var word = function (id) { var t = document.getElementById(id); return t ? t.innerHTML.trim() : ""; };
  var lastKey = null;
  var speak = false;

  function text(el, value) { if (el.textContent !== value) el.textContent = value; }

  function key(call) { return call ? call.number + "|" + call.called_at : null; }

  function announce(call) {
    var box = document.getElementById("now-calling");
    box.classList.remove("flash");
    void box.offsetWidth; // restart the animation
    box.classList.add("flash");
    if (speak && window.speechSynthesis) {
      var spoken = call.number.replace("-", " ").split("").join(" ");
      var u = new SpeechSynthesisUtterance(
        hall.dataset.sayNumber + " " + spoken + ", " + hall.dataset.sayCounter + " " + call.counter
      );
      u.lang = "id-ID";
      window.speechSynthesis.speak(u);
    }
  }

  function render(board) {
    var top = board.calls[0];
    text(document.getElementById("now-number"), top ? top.number : "–");
    text(document.getElementById("now-counter"), top ? word("t-loket") + " " + top.counter : "");
    var calls = document.getElementById("calls");
    var items = board.calls.slice(1).map(function (c) {
      var li = document.createElement("li");
      if (c.status === "done" || c.status === "no_show") li.className = "done";
      var a = document.createElement("span"); a.textContent = c.number;
      var b = document.createElement("span"); b.textContent = word("t-loket") + " " + c.counter;
      li.appendChild(a); li.appendChild(b);
      return li;
    });
    calls.replaceChildren.apply(calls, items);
    var body = document.getElementById("queues");
    var rows = board.queues.map(function (q) {
      var tr = document.createElement("tr");
      var name = document.createElement("td");
      var strong = document.createElement("strong"); strong.textContent = q.prefix;
      var small = document.createElement("small"); small.textContent = " " + q.label;
      name.appendChild(strong); name.appendChild(small);
      var waiting = document.createElement("td"); waiting.className = "num"; waiting.textContent = q.waiting;
      var est = document.createElement("td"); est.textContent = "± " + q.estimate_minutes + " " + word("t-minutes");
      tr.appendChild(name); tr.appendChild(waiting); tr.appendChild(est);
      return tr;
    });
    if (!rows.length) {
      var tr = document.createElement("tr"); var td = document.createElement("td");
      td.colSpan = 3; td.textContent = word("t-empty"); tr.appendChild(td); rows = [tr];
    }
    body.replaceChildren.apply(body, rows);
    text(document.getElementById("clock"), board.time);
    var k = key(top);
    if (lastKey !== null && k !== null && k !== lastKey) announce(top);
    lastKey = k;
  }

  function poll() {
    fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (board) { if (board) render(board); })
      .catch(function () {})
      .then(function () { setTimeout(poll, 2000); });
  }

  var button = document.getElementById("sound");
  if (button) button.addEventListener("click", function () {
    speak = !speak;
    button.setAttribute("aria-pressed", speak ? "true" : "false");
  });
  poll();
})();
