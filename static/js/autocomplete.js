/* The combobox of core.widgets.Autocomplete: htmx fills its listbox as the user types; this file lets the keyboard
   and the pointer choose an option (ARIA 1.2 combobox with a listbox popup) and puts the choice in the hidden input. */
(function () {
  "use strict";

  function parts(box) {
    var input = box.querySelector("[role=combobox]");
    return {
      input: input,
      value: box.querySelector("[data-autocomplete-value]"),
      list: box.querySelector("[role=listbox]"),
    };
  }

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }

  function close(p) {
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function activate(p, option) {
    options(p.list).forEach(function (each) {
      var active = each === option;
      each.setAttribute("aria-selected", active ? "true" : "false");
      each.classList.toggle("active", active);
    });
    if (option) {
      p.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function choose(p, option) {
    p.value.value = option.getAttribute("data-value");
    p.input.value = option.textContent;
    close(p);
    p.input.focus();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = event.target.closest("[data-autocomplete]");
    if (!box) return;
    var p = parts(box);
    p.list.hidden = false;
    p.input.setAttribute("aria-expanded", "true");
    activate(p, null);
  });

  document.addEventListener("input", function (event) {
    var box = event.target.closest("[data-autocomplete]");
    if (box && event.target.getAttribute("role") === "combobox") {
      parts(box).value.value = ""; // typing undoes the choice until an option is chosen again
    }
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target.closest("[data-autocomplete]");
    if (!box || event.target.getAttribute("role") !== "combobox") return;
    var p = parts(box);
    var all = options(p.list);
    var current = all.indexOf(p.list.querySelector("[aria-selected=true]"));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (p.list.hidden || !all.length) return;
      event.preventDefault();
      var next = event.key === "ArrowDown" ? current + 1 : current - 1;
      activate(p, all[(next + all.length) % all.length]);
    } else if (event.key === "Enter" && !p.list.hidden && current >= 0) {
      event.preventDefault();
      choose(p, all[current]);
    } else if (event.key === "Escape" && !p.list.hidden) {
      event.preventDefault();
      close(p);
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-autocomplete] [role=option]:not([aria-disabled=true])");
    if (option) {
      choose(parts(option.closest("[data-autocomplete]")), option);
      return;
    }
    document.querySelectorAll("[data-autocomplete]").forEach(function (box) {
      if (!box.contains(event.target)) close(parts(box));
    });
  });
})();
