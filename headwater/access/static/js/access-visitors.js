// The guard's view of a visit waiting for its host: reload now and then, so the pass appears
// on the guard's screen as soon as the host approves on their phone.
(function () {
  "use strict";
  var card = document.querySelector("[data-refresh-seconds]");
  if (!card) return;
  var seconds = parseInt(card.dataset.refreshSeconds, 10) || 10;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
