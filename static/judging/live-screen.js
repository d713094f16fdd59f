// The presenter screen refreshes itself: it reads the final's state every 3 seconds and
// counts down from the server's clock (not the screen's), so a late laptop still shows the
// room the right time. No inline script: the page runs under a strict CSP.
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.stateUrl;
  var state = null;
  var offset = 0; // server clock minus this screen's clock, in ms

  function text(id, value) {
    var el = document.getElementById(id);
    if (el && el.textContent !== value) el.textContent = value;
  }

  function render() {
    if (!state) return;
    if (state.current) {
      text("live-current", state.current.title);
      text("live-team", state.current.team);
    }
    text("live-next", state.next ? state.next.title + " — " + state.next.team : "—");
    var clock = document.querySelector(".live-clock");
    if (!state.slot_started_at || state.ended) {
      text("live-phase", "");
      text("live-countdown", "");
      return;
    }
    var elapsed = (Date.now() + offset - Date.parse(state.slot_started_at)) / 1000;
    var phase = body.dataset.labelPitch;
    var left = state.pitch_seconds - elapsed;
    if (left <= 0) {
      phase = body.dataset.labelQa;
      left = state.pitch_seconds + state.qa_seconds - elapsed;
    }
    if (left <= 0) {
      phase = body.dataset.labelOver;
      left = 0;
    }
    clock.classList.toggle("live-over", left <= 0);
    var s = Math.ceil(left);
    text("live-phase", phase);
    text("live-countdown", Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"));
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        state = data;
        offset = Date.parse(data.now) - Date.now();
        if (!data.current && data.ended) window.location.reload();
        render();
      })
      .catch(function () {});
  }

  var button = document.getElementById("live-fullscreen");
  if (button && document.documentElement.requestFullscreen) {
    button.addEventListener("click", function () {
      document.documentElement.requestFullscreen();
    });
  }
  poll();
  setInterval(poll, 3000);
  setInterval(render, 250);
})();
