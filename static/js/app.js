// Behaviour without inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Disable a form's submit buttons once it is submitted: a double click stores once.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.allowResubmit !== undefined) { return; }
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
  // Confirmation for destructive actions: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
    }
  });
  // Tables on a phone: each table scrolls inside its own container, and a list table (one header row, no
  // merged cells) becomes stacked rows, each cell labelled with its column's name (see app.css).
  function fitTables(root) {
    var tables = Array.prototype.slice.call(root.querySelectorAll("table.table"));
    if (root.matches && root.matches("table.table")) { tables.push(root); }
    tables.forEach(function (table) {
      if (!table.parentElement.classList.contains("table-responsive")) {
        var wrapper = document.createElement("div");
        wrapper.className = "table-responsive";
        table.parentElement.insertBefore(wrapper, table);
        wrapper.appendChild(table);
      }
      var head = table.tHead;
      if (table.classList.contains("table-stack") || table.classList.contains("table-figures") ||
          table.hasAttribute("data-no-stack") || !head || head.rows.length !== 1 ||
          table.querySelector("thead [colspan], tbody [rowspan], tbody th[scope=colgroup]")) {
        return;
      }
      var labels = [];
      Array.prototype.forEach.call(head.rows[0].cells, function (th) {
        var copy = th.cloneNode(true);
        copy.querySelectorAll(".visually-hidden").forEach(function (hidden) { hidden.remove(); });
        var label = copy.textContent.replace(/\s+/g, " ").trim();
        for (var i = 0; i < th.colSpan; i += 1) { labels.push(label); }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && cell.colSpan === 1) {
              cell.setAttribute("data-label", labels[column] || "");
            }
            var controls = cell.querySelectorAll(".btn, button, form");
            if (controls.length) {
              var text = cell.cloneNode(true);
              text.querySelectorAll(".btn, button, form, .visually-hidden").forEach(function (c) { c.remove(); });
              if (!text.textContent.trim()) { cell.classList.add("table-actions-cell"); }
            }
            column += cell.colSpan;
          });
        });
      });
      table.classList.add("table-stack");
      // The stacked table's header is out of sight: its sort links go above the table instead.
      var sortLinks = head.querySelectorAll("th[aria-sort] a[href]");
      if (sortLinks.length && !table.parentElement.previousElementSibling?.classList.contains("table-sort-bar")) {
        var dutch = (document.documentElement.lang || "nl").indexOf("nl") === 0;
        var bar = document.createElement("nav");
        bar.className = "table-sort-bar";
        bar.setAttribute("aria-label", dutch ? "Sorteren" : "Sort");
        var title = document.createElement("span");
        title.textContent = dutch ? "Sorteren op:" : "Sort by:";
        bar.appendChild(title);
        sortLinks.forEach(function (link) {
          var copy = document.createElement("a");
          copy.href = link.getAttribute("href");
          copy.className = "btn btn-sm btn-outline-secondary";
          copy.textContent = link.textContent.replace(/\s+/g, " ").trim();
          var state = link.closest("th").getAttribute("aria-sort");
          if (state === "ascending" || state === "descending") {
            copy.setAttribute("aria-current", "true");
            copy.classList.add("active");
            copy.textContent += state === "ascending" ? " ▲" : " ▼";
          }
          bar.appendChild(copy);
        });
        table.parentElement.parentElement.insertBefore(bar, table.parentElement);
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { fitTables(document); });
  document.addEventListener("htmx:load", function (event) { fitTables(event.detail.elt); });
  // A form that comes back with errors: its error summary gets the focus, so it is read first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  });
  // A link in the error summary moves the focus to its field (a fragment link alone only scrolls), with the
  // field's label in view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) { return; }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView();
    field.focus({preventScroll: true});
  });
  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
