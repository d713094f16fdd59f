// Suggests catalogue datasets while typing in the "Dataset" field of the project sheet.
// The form works without it: the server resolves a pasted URL, a name or an identifier.
(function () {
  "use strict";
  var form = document.querySelector(".dataset-link-form[data-autocomplete-url]");
  if (!form) return;
  var input = form.querySelector("[data-autocomplete='dataset']");
  var list = form.querySelector(".dataset-suggestions");
  if (!input || !list) return;
  var url = form.getAttribute("data-autocomplete-url");
  var timer = null;
  var controller = null;

  function clear() {
    list.replaceChildren();
    list.hidden = true;
  }

  function choose(result) {
    // The uuid resolves exactly on the server, whatever the title looks like.
    input.value = result.ckan_id;
    input.setAttribute("aria-describedby", "");
    clear();
    var label = form.querySelector(".dataset-chosen") || document.createElement("p");
    label.className = "dataset-chosen form-text";
    label.textContent = result.title + (result.organization ? " (" + result.organization + ")" : "");
    input.after(label);
  }

  function show(results) {
    list.replaceChildren();
    results.slice(0, 10).forEach(function (result) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action";
      button.setAttribute("role", "option");
      button.textContent = result.title + (result.organization ? " — " + result.organization : "");
      if (result.state === "withdrawn") {
        button.disabled = true;
      }
      button.addEventListener("click", function () { choose(result); });
      list.appendChild(button);
    });
    list.hidden = results.length === 0;
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim();
    if (query.length < 3) { clear(); return; }
    timer = setTimeout(function () {
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(function () { /* typing again aborts the previous request */ });
    }, 250);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") clear();
  });
})();
