/* Kiosk: the roll its thermal printer takes, and the ticket printed by itself.
   The kiosk is started once with ?roll=58 or ?roll=80 (docs/kiosk-printing.md); the width is kept
   on the device and picks the @page size of queue.css. A new ticket prints once, on its own: with
   Chromium's --kiosk-printing there is no dialog. */
(function () {
  "use strict";
  var root = document.documentElement;
  var roll = null;
  try {
    var asked = new URLSearchParams(window.location.search).get("roll");
    if (asked === "58" || asked === "80") localStorage.setItem("mpp-roll", asked);
    roll = localStorage.getItem("mpp-roll");
  } catch (e) { /* storage switched off: the printer's own paper size */ }
  if (roll) root.setAttribute("data-roll", roll);
  var ticket = document.querySelector("[data-autoprint]");
  if (!ticket) return;
  // Back to the start for the next visitor after 30 s untouched; a touch or key restarts it.
  var back = ticket.getAttribute("data-return");
  var timer = null;
  var wait = function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { window.location.assign(back); }, 30000);
  };
  ["pointerdown", "keydown"].forEach(function (kind) { document.addEventListener(kind, wait); });
  wait();
  var key = "mpp-printed:" + ticket.getAttribute("data-autoprint");
  try {
    if (sessionStorage.getItem(key)) return; // a reload does not print the ticket again
    sessionStorage.setItem(key, "1");
  } catch (e) { /* no storage: print anyway */ }
  var print = function () { window.print(); };
  if (document.readyState === "complete") print(); else window.addEventListener("load", print);
})();

/* Kiosk: a hardware scanner types the code and Enter into the focused field (no script needed).
   Where the browser can read QR codes from the camera (BarcodeDetector), offer that too. */
(function () {
  "use strict";
  var field = document.getElementById("code");
  var button = document.getElementById("scan-camera");
  var video = document.getElementById("scan-video");
  if (!field || !button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.hidden = false;
      video.srcObject = stream;
      video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) { stop(); field.value = codes[0].rawValue; field.form.submit(); }
          else { requestAnimationFrame(tick); }
        }).catch(function () { requestAnimationFrame(tick); });
      };
      tick();
      setTimeout(stop, 30000);
    }).catch(function () { button.hidden = true; });
  });
})();
