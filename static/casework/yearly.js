// Follow a yearly report while it is being compiled; the page reloads once it is ready or
// once the job stalled (the page then offers to compile again). After a while it stops asking
// and points at the refresh link, which is also all a page without JavaScript has.
(function () {
  "use strict";
  var box = document.querySelector("[data-yearly-status]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-yearly-status");
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-yearly-percent]");
  var stopped = box.querySelector("[data-yearly-stopped]");
  var seconds = parseInt(box.getAttribute("data-yearly-poll-seconds"), 10) || 960;
  var giveUpAt = Date.now() + seconds * 1000;
  var delay = 1000;

  function stop() {
    if (stopped) {
      stopped.hidden = false;
    }
  }

  function later() {
    if (Date.now() + delay > giveUpAt) {
      stop();
      return;
    }
    window.setTimeout(poll, delay);
  }

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
        if (status.finished || status.stalled) {
          window.location.reload();
          return;
        }
        // Ask less often the longer it takes: a school report may run for minutes.
        delay = Math.min(delay + 500, 5000);
        later();
      })
      .catch(function () {
        // Try again a little later; the refresh link keeps working meanwhile.
        delay = Math.min(delay * 2, 15000);
        later();
      });
  }

  window.setTimeout(poll, delay);
})();
