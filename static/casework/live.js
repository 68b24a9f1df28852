/*
 * The live screen, progressively enhanced: without this file every note has a Save button and
 * the timer shows its end time. With it, notes save as you type and the timer counts down.
 *
 * Rules kept here:
 * - never overwrite what the user typed: a save's answer only changes the version and status;
 * - a save from an old version is refused by the server (409); the user then sees both
 *   versions and chooses "Keep mine" (save again on top of theirs) or "Take theirs";
 * - network errors and server errors are retried with backoff, and again on the `online` event;
 * - a 404 (the note or its group is gone) is final: no retry; a 403 says the user may not
 *   change this note.
 * All texts come from data-text-* attributes, translated on the server.
 */
(function () {
  "use strict";

  var screen = document.querySelector("[data-live]");
  if (!screen || !window.fetch) {
    return;
  }

  var DEBOUNCE_MS = 800;
  var RETRY_FIRST_MS = 1000;
  var RETRY_MAX_MS = 30000;

  function text(name, values) {
    var template = screen.getAttribute("data-text-" + name) || "";
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return values && values[key] !== undefined ? values[key] : whole;
    });
  }

  // Timer ----------------------------------------------------------------------------------

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function clock(totalSeconds) {
    var hours = Math.floor(totalSeconds / 3600);
    var minutes = Math.floor((totalSeconds % 3600) / 60);
    var seconds = totalSeconds % 60;
    return (hours ? hours + ":" + pad(minutes) : String(minutes)) + ":" + pad(seconds);
  }

  function startTimer(element) {
    var endsAt = Date.parse(element.getAttribute("data-ends-at"));
    var output = element.querySelector("[data-timer-text]");
    var end = element.querySelector("[data-timer-end]");
    if (isNaN(endsAt) || !output) {
      return;
    }
    if (end) {
      end.hidden = false;
    }
    function tick() {
      var left = Math.round((endsAt - Date.now()) / 1000);
      if (left >= 0) {
        output.textContent = text("left", { time: clock(left) });
        element.classList.remove("live-over");
      } else {
        output.textContent = text("over", { time: clock(-left) });
        element.classList.add("live-over");
      }
    }
    tick();
    window.setInterval(tick, 1000);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-timer]"), startTimer);

  // Notes ----------------------------------------------------------------------------------

  var notes = [];

  function Note(form) {
    this.form = form;
    this.input = form.querySelector("[data-note-input]");
    this.version = form.querySelector("[data-note-version]");
    this.status = form.querySelector("[data-note-status]");
    this.conflictBox = form.querySelector("[data-note-conflict]");
    this.saveButton = form.querySelector("[data-note-save]");
    this.timer = null;
    this.retryTimer = null;
    this.retryDelay = RETRY_FIRST_MS;
    this.inFlight = false;
    this.dirty = false; // typed since the last save was sent
    this.inConflict = false;
    this.gone = false; // the server said the note no longer exists: never saved again
    var note = this;
    if (!this.input || !this.version || !this.status) {
      return;
    }
    // The Save button stays for users without JavaScript; here the autosave takes over.
    if (this.saveButton) {
      this.saveButton.hidden = true;
    }
    var onChange = function () {
      note.dirty = true;
      if (note.gone) {
        return; // the status keeps telling the user to copy their text and reload
      }
      if (note.inConflict) {
        return; // the user decides first: Keep mine or Take theirs
      }
      note.setStatus(text("unsaved"));
      note.schedule(DEBOUNCE_MS);
    };
    this.input.addEventListener("input", onChange);
    if (this.input.tagName === "SELECT" || this.input.type === "date") {
      this.input.addEventListener("change", onChange);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      note.dirty = true;
      note.schedule(0);
    });
    notes.push(this);
  }

  Note.prototype.setStatus = function (message) {
    this.status.textContent = message;
  };

  Note.prototype.schedule = function (delay) {
    var note = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      note.save();
    }, delay);
  };

  Note.prototype.retryLater = function (message) {
    var note = this;
    this.setStatus(message);
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(function () {
      note.retryTimer = null;
      note.save();
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  };

  Note.prototype.csrfToken = function () {
    var token = this.form.querySelector("[name=csrfmiddlewaretoken]");
    return token ? token.value : "";
  };

  Note.prototype.save = function () {
    var note = this;
    if (this.inFlight || this.inConflict || this.gone || !this.dirty) {
      return;
    }
    window.clearTimeout(this.retryTimer);
    this.inFlight = true;
    this.dirty = false;
    var sentText = this.input.value;
    var body = new FormData(this.form);
    this.setStatus(text("saving"));
    fetch(this.form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": this.csrfToken() },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // A sign-in page or an error page instead of an answer.
          return { status: response.redirected ? "session" : response.status, data: null };
        }
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (answer) {
        note.inFlight = false;
        note.handle(answer, sentText);
      })
      .catch(function () {
        note.inFlight = false;
        note.dirty = true;
        note.retryLater(text("offline"));
      });
  };

  Note.prototype.handle = function (answer, sentText) {
    var data = answer.data;
    if (answer.status === 200 && data) {
      this.retryDelay = RETRY_FIRST_MS;
      this.version.value = data.version;
      if (this.dirty || this.input.value !== sentText) {
        // Typed on while saving: save the newer words from the version just made.
        this.dirty = true;
        this.schedule(DEBOUNCE_MS);
        this.setStatus(text("unsaved"));
      } else {
        this.setStatus(text("saved", { time: data.saved_time }));
      }
    } else if (answer.status === 409 && data && data.conflict) {
      this.dirty = true;
      this.showConflict(data);
    } else if (answer.status === 400 && data) {
      this.dirty = true;
      this.setStatus(text("failed", { reason: (data.errors || []).join(" ") }));
    } else if (answer.status === 404) {
      // The note or its group is gone (the groups were made again): final, no retry.
      this.dirty = true;
      this.gone = true;
      window.clearTimeout(this.retryTimer);
      this.setStatus(text("gone"));
    } else if (answer.status === 403) {
      this.dirty = true;
      this.setStatus(text("forbidden"));
    } else if (answer.status === "session") {
      this.dirty = true;
      this.setStatus(text("session"));
    } else {
      this.dirty = true;
      this.retryLater(text("retrying"));
    }
  };

  Note.prototype.showConflict = function (data) {
    var note = this;
    this.inConflict = true;
    this.setStatus(text("conflict"));
    var box = this.conflictBox;
    if (!box) {
      return;
    }
    box.textContent = "";
    box.className = "alert alert-warning mt-2";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "fw-semibold mb-1";
    title.textContent = text("conflict");
    var who = document.createElement("p");
    who.className = "mb-1";
    who.textContent = text("theirs", { name: data.saved_by, time: data.saved_time });
    var theirs = document.createElement("blockquote");
    theirs.className = "border-start ps-2 mb-2";
    theirs.style.whiteSpace = "pre-wrap";
    theirs.textContent = data.their_text || "—";
    var buttons = document.createElement("div");
    buttons.className = "d-flex flex-wrap gap-2";
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-sm btn-primary";
    keep.textContent = text("keep-mine");
    keep.addEventListener("click", function () {
      // Deliberately on top of their version: save again from the version they made.
      note.resolve(data.their_version);
      note.dirty = true;
      note.schedule(0);
    });
    var take = document.createElement("button");
    take.type = "button";
    take.className = "btn btn-sm btn-outline-secondary";
    take.textContent = text("take-theirs");
    take.addEventListener("click", function () {
      note.resolve(data.their_version);
      note.input.value = data.their_text;
      note.dirty = false;
      note.setStatus(text("saved", { time: data.saved_time }));
      note.input.focus();
    });
    buttons.appendChild(keep);
    buttons.appendChild(take);
    box.appendChild(title);
    box.appendChild(who);
    box.appendChild(theirs);
    box.appendChild(buttons);
    box.hidden = false;
  };

  Note.prototype.resolve = function (theirVersion) {
    window.clearTimeout(this.timer);
    this.inConflict = false;
    this.version.value = theirVersion;
    this.conflictBox.hidden = true;
    this.conflictBox.textContent = "";
  };

  Array.prototype.forEach.call(document.querySelectorAll("[data-note-form]"), function (form) {
    new Note(form);
  });

  window.addEventListener("online", function () {
    notes.forEach(function (note) {
      if (note.dirty && !note.inConflict && !note.gone) {
        note.retryDelay = RETRY_FIRST_MS;
        note.save();
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = notes.some(function (note) {
      return note.dirty || note.inFlight;
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = text("leave");
      return event.returnValue;
    }
    return undefined;
  });
})();
