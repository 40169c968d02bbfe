// Live progress of an evaluation cycle: polls the period's progress every 10 s while the page
// is visible. The page works without it (the numbers are rendered on the server).
(function () {
  var box = document.getElementById("cycle-progress");
  if (!box || !box.dataset.url) return;
  function update(p) {
    ["invited", "draft", "submitted", "returned", "accepted"].forEach(function (k) {
      var el = box.querySelector('[data-count="' + k + '"]');
      if (el) el.textContent = p[k];
    });
    var x = 0;
    ["accepted", "submitted", "returned", "draft"].forEach(function (k) {
      var el = box.querySelector('[data-part="' + k + '"]');
      if (!el) return;
      el.setAttribute("x", x);
      el.setAttribute("width", p[k + "_percent"]);
      x += p[k + "_percent"];
    });
  }
  function poll() {
    if (document.hidden) return;
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) { if (p) update(p); })
      .catch(function () {});
  }
  setInterval(poll, 10000);
})();
