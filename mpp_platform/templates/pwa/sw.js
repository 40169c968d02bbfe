{% load static %}/* MPP Digital's service worker. Static files come from the cache; pages from the network, and
   when the connection is gone from the last copy kept or the offline page. Booking pages are kept
   when opened, so the booking code and its QR stay on the phone. No push notifications. */
"use strict";
var STATIC_CACHE = "mpp-static-{{ version }}";
var PAGES_CACHE = "mpp-pages";
var OFFLINE_URL = "{% url 'offline' %}";
var PRECACHE = [
  OFFLINE_URL,
  "{% static 'css/mpp.css' %}",
  "{% static 'js/mpp.js' %}",
  "{% static 'js/offline.js' %}",
  "{% static 'js/draft.js' %}",
  "{% static 'queue/queue.css' %}",
];
var KEPT_PAGES = /^\/antrean\/booking\/[^/]+\/$/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(PRECACHE); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("mpp-static-") === 0 && key !== STATIC_CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("{{ static_prefix }}") === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode !== "navigate") return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && KEPT_PAGES.test(url.pathname)) {
        var copy = response.clone();
        caches.open(PAGES_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreSearch: true }).then(function (hit) {
        return hit || caches.match(OFFLINE_URL);
      });
    })
  );
});
