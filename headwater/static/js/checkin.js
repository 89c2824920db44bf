// The check-in form: the travel and contact-date fields show only when they apply, the
// "no symptoms" badge follows the ticked boxes, and a second tap cannot send it twice.
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  if (!form) return;
  function sync() {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      el.hidden = !el.dataset.showWhen.split(" ").some(function (n) { return form.elements[n].checked; });
    });
    document.getElementById("no-symptoms").hidden = !!form.querySelector("input[name=symptoms]:checked");
  }
  form.addEventListener("change", sync);
  form.addEventListener("submit", function () { form.querySelector("[type=submit]").disabled = true; });
  sync();
})();
