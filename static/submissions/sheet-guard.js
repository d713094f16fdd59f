// Warns before typed text in the project sheet is lost: leaving the page, or sending
// another form of the page (link a dataset, upload an image) while the sheet has changes
// that are not saved. Static file: the CSP allows no inline script.
(function () {
  "use strict";
  var sheet = document.getElementById("sheet-form");
  if (!sheet) return;
  var message = sheet.getAttribute("data-unsaved-message");
  // A page shown again after a refused save holds text that is not saved yet.
  var unsavedFromServer = sheet.hasAttribute("data-unsaved");
  var leaving = false;

  function state() {
    var pairs = [];
    new FormData(sheet).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") pairs.push(name + "=" + value);
    });
    return pairs.join("&");
  }

  var initial = state();

  function dirty() {
    return unsavedFromServer || state() !== initial;
  }

  window.addEventListener("beforeunload", function (event) {
    if (leaving || !dirty()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  document.addEventListener(
    "submit",
    function (event) {
      if (event.target === sheet) {
        leaving = true;
        return;
      }
      if (!dirty()) return;
      if (window.confirm(message)) {
        leaving = true;
      } else {
        event.preventDefault();
      }
    },
    true
  );
})();
