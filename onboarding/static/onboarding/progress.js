/* Live progress for provisioning/offboarding (a region) or a bulk batch: polls a small JSON
   endpoint and updates the bar and the step list in place. Without JavaScript the page refreshes
   itself (a <noscript> meta refresh) and shows the same numbers. */
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("[role=progressbar]");
  var fill = bar && bar.querySelector("span");
  var percentText = box.querySelector("[data-percent]");
  var statusText = box.querySelector("[data-status]");
  var finished = box.querySelector("[data-when-done]");
  var failedBox = box.querySelector("[data-when-failed]");
  var failures = 0;
  var sawUnfinished = false;  // finished while watching: the page's actions are now stale

  function setBar(percent) {
    if (fill) fill.style.width = percent + "%";
    if (bar) bar.setAttribute("aria-valuenow", String(percent));
    if (percentText) percentText.textContent = percent + "%";
  }

  function renderSteps(steps) {
    steps.forEach(function (step) {
      var row = box.querySelector('[data-step="' + step.name + '"]');
      if (!row) return;
      var badge = row.querySelector("[data-step-status]");
      if (badge) {
        badge.textContent = step.status_label;
        badge.className = "badge" + ({done: " badge-ok", skipped: " badge-ok", running: " badge-warn",
          failed: " badge-bad"}[step.status] || "");
      }
      var error = row.querySelector("[data-step-error]");
      if (error) {
        error.textContent = step.error || "";
        error.hidden = !step.error;
      }
    });
  }

  function render(data) {
    setBar(data.percent);
    if (data.steps) renderSteps(data.steps);
    if (statusText) {
      if (data.steps) {
        statusText.textContent = data.stage_label + " · " + data.finished + "/" + data.total;
      } else {
        // Words come from the page (translated there): data-label-live, data-label-failed.
        statusText.textContent = data.live + "/" + data.regions + " " +
          box.getAttribute("data-label-live") +
          (data.failed ? " · " + data.failed + " " + box.getAttribute("data-label-failed") : "");
      }
    }
    var stuck = data.failed || data.stalled;
    if (failedBox) failedBox.hidden = !(stuck && !data.running);
    if (finished) finished.hidden = !data.done;
    if (!data.done) sawUnfinished = true;
    var hint = box.querySelector("[data-reload-hint]");
    if (hint) hint.hidden = !(data.done && sawUnfinished);
  }

  function tick() {
    fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        render(data);
        var stopped = data.done || ((data.failed || data.stalled) && !data.running && data.steps);
        if (!stopped) window.setTimeout(tick, 1500);
      })
      .catch(function () {
        failures += 1;
        window.setTimeout(tick, Math.min(15000, 1500 * (failures + 1)));
      });
  }

  tick();
})();
