// The dataset picker of the project sheet: a WAI-ARIA combobox (ARIA 1.2 pattern) over the
// catalogue's autocomplete. Arrow keys move through the suggestions, Enter picks one, Escape
// closes the list (then clears the field); the number of results is announced. The form
// works without it: the server resolves a pasted URL, a name, an identifier or a title.
(function () {
  "use strict";
  var form = document.querySelector(".dataset-link-form[data-autocomplete-url]");
  if (!form) return;
  var input = form.querySelector("[data-autocomplete='dataset']");
  if (!input) return;
  var url = form.getAttribute("data-autocomplete-url");
  var messages = {
    none: form.getAttribute("data-msg-none") || "No dataset found.",
    one: form.getAttribute("data-msg-one") || "1 dataset found.",
    many: form.getAttribute("data-msg-many") || "{n} datasets found.",
    chosen: form.getAttribute("data-msg-chosen") || "Chosen: {title}",
  };

  var list = document.createElement("ul");
  list.id = input.id + "-listbox";
  list.className = "dataset-suggestions list-group mb-2";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.getAttribute("data-listbox-label") || "");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden dataset-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  // Under the field itself, before its help text and errors.
  input.insertAdjacentElement("afterend", list);
  list.insertAdjacentElement("afterend", status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var results = [];
  var active = -1;
  var timer = null;
  var controller = null;

  function say(text) {
    status.textContent = text;
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role='option']");
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      var on = i === active;
      option.setAttribute("aria-selected", on ? "true" : "false");
      option.classList.toggle("active", on);
      if (on) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
  }

  function choose(index) {
    var result = results[index];
    if (!result || result.state === "withdrawn") return;
    // The uuid resolves exactly on the server, whatever the title looks like.
    input.value = result.ckan_id;
    close();
    var label = form.querySelector(".dataset-chosen") || document.createElement("p");
    label.className = "dataset-chosen form-text";
    label.textContent = result.title + (result.organization ? " (" + result.organization + ")" : "");
    status.insertAdjacentElement("afterend", label);
    say(messages.chosen.replace("{title}", result.title));
  }

  function show(found) {
    results = found.slice(0, 10);
    list.replaceChildren();
    results.forEach(function (result, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.className = "list-group-item list-group-item-action";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = result.title + (result.organization ? " — " + result.organization : "");
      if (result.state === "withdrawn") option.setAttribute("aria-disabled", "true");
      // mousedown, not click: the field keeps the focus.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(i);
      });
      list.appendChild(option);
    });
    active = -1;
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
    var n = found.length;
    say(n === 0 ? messages.none : n === 1 ? messages.one : messages.many.replace("{n}", n));
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim();
    if (query.length < 3) {
      close();
      return;
    }
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
    var open = !list.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open && results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      highlight(active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (open) highlight(active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        close();
      } else {
        input.value = "";
      }
    }
  });

  input.addEventListener("blur", function () {
    setTimeout(close, 150);
  });
})();
