// Behaviour every page shares. Lives in a static file: the Content-Security-Policy allows no
// inline script or on* handler attribute.
(function () {
  var lang = document.getElementById("lang-select");
  if (lang) lang.addEventListener("change", function () { lang.form.submit(); });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
