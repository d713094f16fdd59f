// Who has scored whom, live: the organizer's remote re-reads the final's state every 5
// seconds and updates the table's marks (static script: the page runs under a strict CSP).
(function () {
  "use strict";
  var table = document.getElementById("live-scoring");
  if (!table) return;
  var marks = { submitted: "✔", draft: "…", recused: "—" };
  var labels = table.dataset;

  function update(data) {
    if (!data.scoring) return;
    data.scoring.rows.forEach(function (row, r) {
      row.states.forEach(function (state, j) {
        var cell = document.getElementById("live-cell-" + r + "-" + j);
        if (!cell) return;
        var mark = marks[state] || "";
        if (cell.textContent !== mark) {
          cell.textContent = mark;
          cell.setAttribute("aria-label", state ? labels["label" + state[0].toUpperCase() + state.slice(1)] : "");
        }
      });
    });
  }

  function poll() {
    fetch(table.dataset.stateUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) update(data); })
      .catch(function () {});
  }
  setInterval(poll, 5000);
})();
