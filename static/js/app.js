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
  // merged cells) becomes stacked rows, each cell labelled with its column's name (see app.css). A figure table
  // stacks too, but only on a phone where it does not fit: there every column stays in view, label above value.
  var phone = window.matchMedia("(max-width: 575.98px)");
  function stackable(table) {
    var head = table.tHead;
    return !table.hasAttribute("data-no-stack") && head && head.rows.length === 1 &&
      !table.querySelector("thead [colspan], tbody [rowspan], tbody th[scope=colgroup]");
  }
  function labelCells(table) {
    var labels = [];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var copy = th.cloneNode(true);
      copy.querySelectorAll(".visually-hidden").forEach(function (hidden) { hidden.remove(); });
      var label = copy.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < th.colSpan; i += 1) { labels.push(label); }
    });
    var bodies = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) { bodies.push(table.tFoot); }
    bodies.forEach(function (body) {
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
    sortBar(table);
  }
  function sortBar(table) {
    var head = table.tHead;
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
  }
  function stackFigures(root) {
    if (!phone.matches) { return; }
    root.querySelectorAll("table.table-figures:not(.table-stack)").forEach(function (table) {
      if (stackable(table) && table.offsetWidth > table.parentElement.clientWidth + 1) { labelCells(table); }
    });
  }
  // A table wider than its box: the box becomes a region one reaches with the Tab key, named after the table's
  // caption (or the heading before it), described by a visible hint above it that it scrolls sideways.
  var hints = 0;
  function regionName(wrapper, table) {
    if (table.caption && table.caption.textContent.trim()) {
      if (!table.caption.id) { table.caption.id = "table-caption-" + (hints += 1); }
      return ["aria-labelledby", table.caption.id];
    }
    if (table.getAttribute("aria-label")) { return ["aria-label", table.getAttribute("aria-label")]; }
    for (var node = wrapper; node && node !== document.body; node = node.parentElement) {
      for (var sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        var headings = sibling.matches("h1, h2, h3, h4, h5, h6") ? [sibling] : sibling.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (headings.length) {
          var heading = headings[headings.length - 1];
          if (!heading.id) { heading.id = "table-heading-" + (hints += 1); }
          return ["aria-labelledby", heading.id];
        }
      }
    }
    return ["aria-label", document.title];
  }
  function markScrolling(wrapper) {
    var table = wrapper.querySelector(":scope > table");
    if (!table) { return; }
    var hint = wrapper.dataset.hint && document.getElementById(wrapper.dataset.hint);
    if (!hint) {
      var template = document.getElementById("table-scroll-hint");
      if (!template) { return; }
      hint = template.content.firstElementChild.cloneNode(true);
      hint.id = "table-scroll-hint-" + (hints += 1);
      wrapper.dataset.hint = hint.id;
      wrapper.parentElement.insertBefore(hint, wrapper);
    }
    var scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
    if (scrolls === wrapper.classList.contains("is-scrollable")) { return; }
    wrapper.classList.toggle("is-scrollable", scrolls);
    hint.classList.toggle("is-shown", scrolls);
    var added = (wrapper.dataset.scrollAdded || "").split(" ").filter(Boolean);
    if (scrolls) {
      var wanted = [["tabindex", "0"], ["role", "region"]];
      if (!wrapper.hasAttribute("aria-label") && !wrapper.hasAttribute("aria-labelledby")) {
        wanted.push(regionName(wrapper, table));
      }
      wanted.forEach(function (pair) {
        if (!wrapper.hasAttribute(pair[0])) {
          wrapper.setAttribute(pair[0], pair[1]);
          added.push(pair[0]);
        }
      });
      var described = (wrapper.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(hint.id) < 0) { wrapper.setAttribute("aria-describedby", described.concat(hint.id).join(" ")); }
    } else {
      added.forEach(function (name) { wrapper.removeAttribute(name); });
      added = [];
      var rest = (wrapper.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== hint.id; });
      if (rest.length) { wrapper.setAttribute("aria-describedby", rest.join(" ")); } else { wrapper.removeAttribute("aria-describedby"); }
    }
    wrapper.dataset.scrollAdded = added.join(" ");
  }
  var watcher = window.ResizeObserver ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var wrapper = entry.target.closest(".table-responsive");
      if (wrapper) { markScrolling(wrapper); }
    });
  }) : null;
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
      if (table.classList.contains("table-stack") || table.classList.contains("table-figures") || !stackable(table)) {
        return;
      }
      labelCells(table);
    });
    stackFigures(root);
    tables.forEach(function (table) {
      var wrapper = table.parentElement;
      markScrolling(wrapper);
      if (watcher) { watcher.observe(wrapper); watcher.observe(table); }
    });
  }
  phone.addEventListener("change", function () { stackFigures(document); });
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
