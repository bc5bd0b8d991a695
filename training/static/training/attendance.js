// "Tick everyone" on the attendance checklist (no inline scripts under the CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-check-all]");
    if (!button) { return; }
    var form = button.closest("form");
    form.querySelectorAll("input[type=checkbox][name='" + button.dataset.checkAll + "']").forEach(function (box) {
      box.checked = true;
    });
  });
})();
