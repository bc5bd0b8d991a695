// Moves the focus to the error summary when a form comes back with errors (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
