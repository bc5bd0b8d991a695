// Keeps what was typed in the report form in this tab's sessionStorage, so
// nothing is lost when the session ends mid-form (the login redirect brings
// the user back to an empty form, which is then refilled) or the page is
// reloaded. The draft is removed once the report has been received.
(function () {
  "use strict";
  var clear = document.querySelector("[data-draft-clear]");
  if (clear) {
    try { window.sessionStorage.removeItem(clear.dataset.draftClear); } catch (e) { /* storage unavailable */ }
    return;
  }
  var form = document.querySelector("form[data-draft-key]");
  if (!form) { return; }
  var key = form.dataset.draftKey;
  var storage;
  try { storage = window.sessionStorage; storage.getItem(key); } catch (e) { return; }
  var dirty = false;
  var submitting = false;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
    });
  }

  function save() {
    var data = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (!data[el.name]) { data[el.name] = []; }
        if (el.checked) { data[el.name].push(el.value); }
      } else {
        data[el.name] = el.value;
      }
    });
    storage.setItem(key, JSON.stringify(data));
  }

  function restore() {
    var raw = storage.getItem(key);
    if (!raw) { return false; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { return false; }
    var restored = false;
    fields().forEach(function (el) {
      if (!(el.name in data)) { return; }
      var value = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        var checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
        if (checked !== el.checked) { el.checked = checked; restored = true; }
      } else if (el.value !== value && value !== "") {
        el.value = value;
        restored = true;
      }
    });
    return restored;
  }

  // A form coming back with errors shows what the server received: keep that.
  var hasErrors = form.querySelector(".is-invalid, .invalid-feedback, .alert-danger");
  if (!hasErrors && restore()) {
    var notice = document.querySelector("[data-draft-restored]");
    if (notice) { notice.classList.remove("d-none"); }
    dirty = true;
  }
  save();
  form.addEventListener("input", function () { dirty = true; save(); });
  form.addEventListener("change", function () { dirty = true; save(); });
  form.addEventListener("submit", function () { submitting = true; save(); });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = form.dataset.draftWarning || "";
      return event.returnValue;
    }
    return undefined;
  });
})();
