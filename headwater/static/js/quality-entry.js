// Entering results on a phone: its number pad has no "<", so this button adds or removes it
// before the value.
document.querySelectorAll("[data-below]").forEach(function (button) {
  "use strict";
  button.addEventListener("click", function () {
    var input = document.getElementById(button.dataset.below);
    input.value = input.value.startsWith("<") ? input.value.slice(1) : "<" + input.value;
    input.focus();
  });
});
