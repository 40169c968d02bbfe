/* The offline page lists the booking pages the service worker kept, so their codes and QR stay
   reachable without a connection. */
(function () {
  "use strict";
  var list = document.getElementById("saved-bookings");
  var none = document.getElementById("no-saved-bookings");
  if (!list || !("caches" in window)) return;
  caches.open("mpp-pages").then(function (cache) { return cache.keys(); }).then(function (requests) {
    requests.forEach(function (request) {
      var url = new URL(request.url);
      var code = url.pathname.split("/").filter(Boolean).pop();
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = url.pathname;
      link.textContent = "Booking " + code;
      item.appendChild(link);
      list.appendChild(item);
    });
    if (none && requests.length) none.hidden = true;
  });
})();
