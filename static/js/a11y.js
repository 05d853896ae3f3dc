// Accessibility helpers for every page (issue 16), loaded by base.html; every page works
// without them, they make it easier to use with a keyboard and a screen reader.
// - data tables get their own focusable, named scroll box (WCAG 1.4.10, 2.1.1);
// - after a failed submit, focus goes to the first field in error (WCAG 3.3.1);
// - the page's messages and every htmx result marked data-announce are read out once
//   through the one live region, #announcer (WCAG 4.1.3).
(function () {
  "use strict";

  function tableName(table) {
    if (table.caption && table.caption.textContent.trim()) {
      return table.caption.textContent.trim();
    }
    var node = table.closest(".table-scroll, table") || table;
    while (node && node !== document.body) {
      var previous = node.previousElementSibling;
      while (previous) {
        if (/^H[1-6]$/.test(previous.tagName)) return previous.textContent.trim();
        var inner = previous.querySelector && previous.querySelector("h1, h2, h3, h4");
        if (inner) return inner.textContent.trim();
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return "Bảng số liệu";
  }

  function scrollBoxes(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      var box = table.parentElement;
      if (!box.classList.contains("table-scroll")) {
        box = document.createElement("div");
        box.className = "table-scroll";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", tableName(table) + " (cuộn ngang nếu cần)");
      }
    });
  }

  function focusFirstError() {
    var field = document.querySelector("main [aria-invalid='true']");
    if (field) {
      field.focus();
      return;
    }
    var error = document.querySelector("main .errorlist, main [data-form-error]");
    if (error) {
      if (!error.hasAttribute("tabindex")) error.setAttribute("tabindex", "-1");
      error.focus();
    }
  }

  var announcer;

  function announce(text) {
    if (!announcer || !text) return;
    var line = document.createElement("p");
    line.className = "announcement";
    line.textContent = text;
    announcer.querySelectorAll(".announcement").forEach(function (old) {
      old.remove();
    });
    // A short delay: a change made in the same task as a swap is sometimes not read.
    window.setTimeout(function () {
      announcer.appendChild(line);
    }, 50);
  }

  function messagesOnLoad() {
    // Content present at load is not read out by a live region: put it back once.
    var list = announcer && announcer.querySelector(".messages");
    if (!list) return;
    announcer.removeChild(list);
    window.setTimeout(function () {
      announcer.insertBefore(list, announcer.firstChild);
    }, 300);
  }

  var lastAnnounced = {};

  function announceSwapped(event) {
    var target = event.detail && event.detail.elt;
    var scope = target && target.isConnected ? target : document;
    var marked = scope.matches && scope.matches("[data-announce]") ? [scope] : [];
    marked = marked.concat(Array.prototype.slice.call(scope.querySelectorAll("[data-announce]")));
    document.querySelectorAll("[data-announce][hx-swap-oob]").forEach(function (el) {
      if (marked.indexOf(el) < 0) marked.push(el);
    });
    marked.forEach(function (el) {
      var key = el.id || "page";
      var text = el.getAttribute("data-announce");
      if (lastAnnounced[key] !== text) {
        lastAnnounced[key] = text;
        announce(text);
      }
    });
    scrollBoxes(document);
  }

  function init() {
    announcer = document.getElementById("announcer");
    scrollBoxes(document);
    document.querySelectorAll("[data-announce]").forEach(function (el) {
      lastAnnounced[el.id || "page"] = el.getAttribute("data-announce");
    });
    focusFirstError();
    messagesOnLoad();
    document.body.addEventListener("htmx:afterSettle", announceSwapped);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
