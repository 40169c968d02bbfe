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
