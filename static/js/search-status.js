// Admin « État de la recherche »: while a maintenance run is queued or running, refresh its
// row every 3 seconds without reloading the page. Without JavaScript the « actualiser » link does it.
(function () {
  "use strict";
  var container = document.getElementById("maintenance-runs");
  if (!container || !window.fetch) return;
  function active() {
    return container.querySelector("[data-active-run]");
  }
  function refresh() {
    if (!active()) {
      return;
    }
    fetch(container.getAttribute("data-fragment-url"), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var wasActive = active();
        container.innerHTML = html;
        if (wasActive && !active()) {
          // The run ended: reload once so the counts and buttons above are current.
          window.location.reload();
          return;
        }
        window.setTimeout(refresh, 3000);
      })
      .catch(function () {
        window.setTimeout(refresh, 10000);
      });
  }
  window.setTimeout(refresh, 3000);
})();
