// Behaviour every page shares. Lives in a static file: the Content-Security-Policy allows no
// inline script or on* handler attribute.
(function () {
  var lang = document.getElementById("lang-select");
  if (lang) lang.addEventListener("change", function () { lang.form.submit(); });
  // The installable app: static files and opened bookings stay usable without a connection.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
