// Print buttons on receipts (no inline handlers: the pages carry no inline script).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) { window.print(); }
});
