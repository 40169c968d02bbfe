// Dependent kecamatan/kelurahan selects. Progressive enhancement: without JavaScript the lists
// refresh after the form is sent. The options URL comes from the form's data-wilayah-url.
(function () {
  document.querySelectorAll("form[data-wilayah-url]").forEach(function (form) {
    var url = form.getAttribute("data-wilayah-url");
    form.querySelectorAll("select[data-parent]").forEach(function (child) {
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
  });
})();
