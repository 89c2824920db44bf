// The health-code rule editor: a condition's value widget and comparisons follow the kind of
// the fact chosen. Listens on the document, so it keeps working after htmx swaps the editor.
document.addEventListener("change", function (event) {
  "use strict";
  var select = event.target;
  if (!select.classList.contains("hw-fact")) return;
  var row = select.closest(".hw-cond");
  var kind = select.options[select.selectedIndex].dataset.kind;
  row.querySelectorAll(".hw-value").forEach(function (el) {
    el.hidden = el.disabled = el.dataset.kind !== kind;
  });
  var op = row.querySelector(".hw-op");
  var first = null;
  Array.prototype.forEach.call(op.options, function (o) {
    o.hidden = o.dataset.kind !== kind;
    if (!o.hidden && first === null) first = o;
  });
  if (op.options[op.selectedIndex].hidden && first) first.selected = true;
});
