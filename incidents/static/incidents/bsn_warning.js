// Warns while typing when a text field of the report holds a citizen service number (BSN): the same rule as
// incidents/bsn.py (nine digits passing the eleven-test, written together or in groups of at least two digits
// separated by a dot, space or hyphen; never part of a longer number). The warning goes into the field's polite
// live region ([data-bsn-warning-for="<field id>"]); nothing is blocked: the report may still be sent.
(function () {
  "use strict";
  var RUN = /\d+(?:[ .\-\u00a0]\d+)*/g;

  function elevenTest(digits) {
    if (!/^\d{9}$/.test(digits) || /^0+$/.test(digits)) { return false; }
    var sum = 0;
    for (var i = 0; i < 8; i += 1) { sum += (9 - i) * Number(digits.charAt(i)); }
    sum -= Number(digits.charAt(8));
    return ((sum % 11) + 11) % 11 === 0;
  }

  function bsnFrom(groups, first) {
    var digits = "";
    for (var index = first; index < Math.min(first + 4, groups.length); index += 1) {
      if (index > first && (groups[index].length < 2 || groups[first].length < 2)) { return false; }
      digits += groups[index];
      if (digits.length > 9) { return false; }
      if (digits.length === 9) { return elevenTest(digits); }
    }
    return false;
  }

  function containsBsn(text) {
    var runs = String(text || "").match(RUN) || [];
    for (var r = 0; r < runs.length; r += 1) {
      var groups = runs[r].match(/\d+/g);
      for (var i = 0; i < groups.length; i += 1) {
        if (bsnFrom(groups, i)) { return true; }
      }
    }
    return false;
  }

  // The browser tests check the eleven-test here against the same cases as the server's.
  window.ambassadeursContainsBsn = containsBsn;

  Array.prototype.forEach.call(document.querySelectorAll("[data-bsn-warning-for]"), function (region) {
    var field = document.getElementById(region.dataset.bsnWarningFor);
    if (!field) { return; }
    var shown = false;
    function check() {
      var found = containsBsn(field.value);
      if (found === shown) { return; }
      shown = found;
      // The region stays in the page (a live region must exist before it changes); only its text changes.
      region.textContent = found ? region.dataset.message : "";
    }
    field.addEventListener("input", check);
    check();
  });
})();
