// Progressive enhancement: without JavaScript the kecamatan list refreshes after saving.
// A static file, not inline: the Content-Security-Policy allows no inline script.
(function () {
  var url = document.currentScript.dataset.url;
  document.querySelectorAll("select[data-parent]").forEach(function (child) {
    var parent = document.getElementById(child.dataset.parent);
    if (!parent) return;
    parent.addEventListener("change", function () {
      var first = child.options[0];
      child.innerHTML = "";
      child.appendChild(first);
      child.dispatchEvent(new Event("change"));
      if (!parent.value) return;
      fetch(url + "?induk=" + encodeURIComponent(parent.value))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          data.options.forEach(function (o) {
            var opt = document.createElement("option");
            opt.value = o.code; opt.textContent = o.name; child.appendChild(opt);
          });
        });
    });
  });
})();
