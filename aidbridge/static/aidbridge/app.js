/* AidBridge's only script of its own, loaded with defer on every page. The Content Security
   Policy forbids inline scripts, inline event handlers and style attributes, so the pages say
   what they want with data attributes:
     data-confirm="question"  on a submit button: ask before submitting (cancel stops it)
     data-autosubmit          on a select or input: submit its form when it changes
     data-print               on a button: print the page
     data-navtoggle           on the top bar's button: open or close the menu (small screens)
     data-menu                on a <details> drop-down: closes on a click elsewhere or Escape
     data-width="37"          on a bar: its width in percent (data-var="--w" sets that
                              custom property instead)
   A form's error summary (_errors.html, #error-summary) takes the focus when the page
   opens, and each of its links puts the focus in the field it names.
   Every table.data of more than three columns gets its column labels on its cells (data-label,
   from the head), which the stylesheet shows when rows become cards on a phone; narrower
   tables are marked .narrow and stay tables. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
    var toggle = event.target.closest("[data-navtoggle]");
    if (toggle) {
      var open = toggle.closest(".topbar").classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.open = false; }
    });
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
        menu.open = false;
      });
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    }
  });

  function widths(root) {
    root.querySelectorAll("[data-width]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseFloat(bar.dataset.width) || 0)) + "%";
      if (bar.dataset.var) {
        bar.style.setProperty(bar.dataset.var, value);
      } else {
        bar.style.width = value;
      }
    });
  }

  function labels(root) {
    // A fragment htmx swaps in may be a whole table or rows inside one.
    var inside = root.closest && root.closest("table.data");
    var tables = inside ? [inside] : root.querySelectorAll("table.data");
    Array.prototype.forEach.call(tables, function (table) {
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head) { return; }
      var names = [];
      Array.prototype.forEach.call(head.cells, function (th) {
        for (var i = 0; i < th.colSpan; i++) { names.push(th.textContent.trim()); }
      });
      // A table of three columns or fewer fits a phone as it is.
      if (names.length <= 3) { table.classList.add("narrow"); return; }
      Array.prototype.forEach.call(table.tBodies, function (body) { rows(body.rows, names); });
      if (table.tFoot) { rows(table.tFoot.rows, names); }
    });
  }

  function rows(list, names) {
    Array.prototype.forEach.call(list, function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var name = names[column];
        column += cell.colSpan;
        if (!name || cell.hasAttribute("data-label") || !cell.textContent.trim() && !cell.children.length) {
          return;
        }
        // The label and the cell's content sit side by side: the content goes in one box.
        var box = document.createElement("div");
        box.className = "cell";
        while (cell.firstChild) { box.appendChild(cell.firstChild); }
        cell.appendChild(box);
        cell.setAttribute("data-label", name);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    widths(document);
    labels(document);
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
  // htmx swaps in new fragments (a job's progress, say): size their bars and label their tables.
  document.addEventListener("htmx:load", function (event) { widths(event.target); labels(event.target); });
})();
