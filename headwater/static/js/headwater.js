// Behaviour every page shares. Pages carry no inline script or style: the
// Content-Security-Policy refuses both (ADR 0009), so markup says what it wants in data-
// attributes and this file, served from our own origin, does it.
(function () {
  "use strict";

  // The menu toggler on a phone (Bootstrap's own script is not loaded).
  document.addEventListener("click", function (event) {
    var toggler = event.target.closest("[data-bs-toggle=collapse][data-bs-target]");
    if (!toggler) return;
    var target = document.querySelector(toggler.dataset.bsTarget);
    var open = target.classList.toggle("show");
    toggler.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // A menu group ([data-hw-dropdown] button, its .dropdown-menu beside it): a click opens it
  // and closes any other; a click elsewhere or Escape closes them all.
  function closeMenus(except) {
    document.querySelectorAll("[data-hw-dropdown][aria-expanded=true]").forEach(function (b) {
      if (b === except) return;
      b.setAttribute("aria-expanded", "false");
      b.nextElementSibling.classList.remove("show");
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-hw-dropdown]");
    closeMenus(button);
    if (!button) return;
    var open = button.nextElementSibling.classList.toggle("show");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenus(null);
  });

  // <form data-confirm="question">: ask before sending it.
  document.addEventListener("submit", function (event) {
    var question = event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // <select data-autosubmit>: choosing sends the form; data-clear names a field to empty first
  // (a choice that no longer fits the new selection).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches("[data-autosubmit]")) return;
    if (select.dataset.clear) select.form.elements[select.dataset.clear].value = "";
    select.form.submit();
  });

  // Sizes the server computes (a bar's width in %, a tree row's depth) come as data- attributes
  // and are set through the style object, which the policy allows, not a style attribute.
  function applySizes(root) {
    var all = Array.prototype.slice.call(root.querySelectorAll("[data-bar-width], [data-indent]"));
    if (root.matches && root.matches("[data-bar-width], [data-indent]")) all.push(root);
    all.forEach(function (el) {
      if (el.dataset.barWidth !== undefined) el.style.width = el.dataset.barWidth + "%";
      if (el.dataset.indent !== undefined) el.style.setProperty("--depth", el.dataset.indent);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { applySizes(document); });
  document.addEventListener("htmx:load", function (event) { applySizes(event.target); });
})();
