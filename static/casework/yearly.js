// Follow a yearly report while it is being compiled; the page reloads once it is ready.
// Without JavaScript the page offers a refresh link instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-yearly-status]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-yearly-status");
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-yearly-percent]");
  var delay = 1000;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        bar.value = status.progress;
        bar.textContent = status.progress + "%";
        percent.textContent = status.progress + "%";
        if (status.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // Try again a little later; the refresh link keeps working meanwhile.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
