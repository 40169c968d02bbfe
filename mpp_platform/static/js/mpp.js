// Behaviour every page shares. Lives in a static file: the Content-Security-Policy allows no
// inline script or on* handler attribute.
(function () {
  var lang = document.getElementById("lang-select");
  if (lang) lang.addEventListener("change", function () { lang.form.submit(); });
  // The installable app: static files and opened bookings stay usable without a connection.
  // Only pages of a real site carry the manifest (an unknown subdomain's page has none).
  var installable = document.querySelector('link[rel="manifest"]');
  if (installable && "serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }
  // A table wider than the phone scrolls sideways: keyboard users reach it with Tab and scroll
  // it with the arrow keys (WCAG 2.1.1), so the scrolling box takes the focus.
  document.querySelectorAll(".table-wrap").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      var caption = box.querySelector("caption");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
    }
  });
  // A form sent back with errors: the summary takes the focus, so a screen reader reads it and
  // a keyboard user starts from its links to the fields (the summary is role=alert too).
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
  // The page after a form with a kept draft (draft.js) was sent: accepted (the page carries
  // data-draft-done, the draft is done with) or not (the draft stays).
  try {
    var sent = sessionStorage.getItem("mpp-draft-sent");
    if (sent) {
      if (document.querySelector("[data-draft-done]")) localStorage.removeItem(sent);
      sessionStorage.removeItem("mpp-draft-sent");
    }
  } catch (e) { /* storage switched off: no draft was kept */ }
  // Signing out leaves no form draft (draft.js) behind on a shared phone.
  var logout = document.querySelector("form[data-logout]");
  if (logout) logout.addEventListener("submit", function () {
    try {
      Object.keys(localStorage).forEach(function (k) {
        if (k.indexOf("mpp-draft:") === 0) localStorage.removeItem(k);
      });
    } catch (e) { /* storage switched off: nothing kept */ }
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
