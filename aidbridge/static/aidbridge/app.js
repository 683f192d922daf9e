/* AidBridge's only script of its own, loaded with defer on every page. The Content Security
   Policy forbids inline scripts, inline event handlers and style attributes, so the pages say
   what they want with data attributes:
     data-confirm="question"  on a submit button: ask before submitting (cancel stops it)
     data-autosubmit          on a select or input: submit its form when it changes
     data-print               on a button: print the page
     data-navtoggle           on the top bar's button: open or close the menu (small screens)
     data-menu                on a <details> drop-down: closes on a click elsewhere or Escape
     data-width="37"          on a bar: its width in percent (data-var="--w" sets that
                              custom property instead) */
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

  document.addEventListener("DOMContentLoaded", function () { widths(document); });
  // htmx swaps in new fragments (a job's progress, say): size their bars too.
  document.addEventListener("htmx:load", function (event) { widths(event.target); });
})();
