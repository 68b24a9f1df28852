"""static/casework/live.js's answers to a failed autosave, run in Node with a tiny fake DOM.

The browser journey in tests/e2e drives the happy path; these pin the final answers: a 404
(the note or its group is gone) is not retried forever, a 403 is not called "signed out".
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from casework.models import MeetingRun
from meetings.phases import Phase

LIVE_JS = Path(settings.BASE_DIR) / "static" / "casework" / "live.js"

# One note form on a fake screen; the server answers every save with the given status (HTML, as
# Django's own 404 and 403 pages do). Fake timers run ten simulated minutes of retries.
HARNESS = r"""
const fs = require("fs");
const source = fs.readFileSync(process.argv[2], "utf8");
const answerStatus = Number(process.argv[3]);
function element(attrs) {
  return {
    attrs: attrs || {}, hidden: false, textContent: "", value: "", listeners: {},
    classList: { add() {}, remove() {} },
    getAttribute(name) { return name in this.attrs ? this.attrs[name] : null; },
    setAttribute(name, value) { this.attrs[name] = value; },
    addEventListener(type, handler) { (this.listeners[type] = this.listeners[type] || []).push(handler); },
    querySelector() { return null; },
    appendChild() {}, focus() {},
  };
}
const screen = element({
  "data-text-gone": "GONE", "data-text-forbidden": "FORBIDDEN", "data-text-session": "SESSION",
  "data-text-retrying": "RETRYING", "data-text-saving": "SAVING", "data-text-unsaved": "UNSAVED",
  "data-text-offline": "OFFLINE",
});
const input = element(); input.tagName = "TEXTAREA"; input.value = "my words";
const version = element(); version.value = "1";
const status = element();
const form = element(); form.action = "/meeting/1/notes/";
const parts = {
  "[data-note-input]": input, "[data-note-version]": version, "[data-note-status]": status,
  "[data-note-conflict]": element(), "[data-note-save]": element(),
  "[name=csrfmiddlewaretoken]": { value: "token" },
};
form.querySelector = (selector) => parts[selector] || null;
global.document = {
  querySelector: (selector) => (selector === "[data-live]" ? screen : null),
  querySelectorAll: (selector) => (selector === "[data-note-form]" ? [form] : []),
  createElement: () => element(),
};
global.FormData = function () {};
let calls = 0;
global.fetch = () => {
  calls += 1;
  return Promise.resolve({
    status: answerStatus, redirected: false,
    headers: { get: () => "text/html; charset=utf-8" },
    json: () => Promise.reject(new Error("not JSON")),
  });
};
let timers = [];
let nextId = 1;
let now = 0;
global.window = {
  fetch: global.fetch,
  setTimeout(handler, delay) { timers.push({ handler, at: now + delay, id: nextId }); return nextId++; },
  clearTimeout(id) { timers = timers.filter((timer) => timer.id !== id); },
  setInterval() {},
  addEventListener() {},
};
eval(source);
(async () => {
  input.value = "my words, more";
  input.listeners.input.forEach((handler) => handler());
  while (timers.length && now < 10 * 60 * 1000) {
    timers.sort((a, b) => a.at - b.at);
    const timer = timers.shift();
    now = timer.at;
    timer.handler();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }
  console.log(JSON.stringify({ calls, status: status.textContent, text: input.value }));
})();
"""


def _autosave_answered(status: int, tmp_path: Path) -> dict:
    node = shutil.which("node")
    assert node, "Node runs the live.js tests"
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS)
    result = subprocess.run(
        [node, str(harness), str(LIVE_JS), str(status)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(result.stdout)


def test_a_404_is_final_with_its_own_message(tmp_path) -> None:
    outcome = _autosave_answered(404, tmp_path)

    assert outcome == {"calls": 1, "status": "GONE", "text": "my words, more"}


def test_a_403_says_you_cannot_change_this_note(tmp_path) -> None:
    outcome = _autosave_answered(403, tmp_path)

    assert outcome["status"] == "FORBIDDEN"
    assert outcome["text"] == "my words, more"


def test_a_server_error_is_still_retried(tmp_path) -> None:
    outcome = _autosave_answered(500, tmp_path)

    assert outcome["calls"] > 3
    assert outcome["status"] == "RETRYING"


@pytest.mark.parametrize("screen", ["live", "live_group"])
def test_the_screens_carry_the_gone_and_forbidden_texts(client_as, in_the_meeting, screen) -> None:
    MeetingRun.objects.create(meeting=in_the_meeting.meeting, phase=Phase.CASE)
    kwargs = {"pk": in_the_meeting.meeting.pk}
    if screen == "live_group":
        kwargs["group_pk"] = in_the_meeting.groups[0].pk

    page = client_as("teacher_leader").get(reverse(f"casework:{screen}", kwargs=kwargs))

    html = page.content.decode()
    gone = gettext(
        "Not saved: this note no longer exists (the groups may have been made again). "
        "Copy your text and reload the page."
    )
    assert f'data-text-gone="{gone}"' in html
    assert f'data-text-forbidden="{gettext("Not saved: you cannot change this note.")}"' in html
