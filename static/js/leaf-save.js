// The leaf forms' autosave (DOMAIN §9, no lost work): a save that fails says so in the
// leaf's status line, never swaps an error or login page into it, and keeps what was typed,
// also across a reload or a new login in the same tab (sessionStorage, per tab).
(function () {
  "use strict";

  var FIELDS = ["score", "value", "note", "version"];
  var TEXT = {
    saving: "Đang lưu…",
    session:
      "Chưa lưu được: phiên đăng nhập đã hết hạn. Nội dung vừa nhập vẫn còn ở đây; " +
      "hãy đăng nhập lại, nội dung sẽ được khôi phục để anh/chị bấm Lưu.",
    login: "Đăng nhập lại",
    forbidden:
      "Chưa lưu được: trang này đã cũ (có thể anh/chị vừa đăng nhập lại ở thẻ khác). " +
      "Nội dung vừa nhập vẫn còn ở đây; hãy tải lại trang (F5), nội dung sẽ được khôi phục " +
      "để anh/chị bấm Lưu.",
    server:
      "Chưa lưu được: máy chủ đang gặp lỗi. Nội dung vừa nhập vẫn còn ở đây; " +
      "hãy thử bấm Lưu lại sau ít phút.",
    network:
      "Chưa lưu được: mất kết nối mạng. Nội dung vừa nhập vẫn còn ở đây; " +
      "khi có mạng trở lại hãy bấm Lưu.",
    restored:
      "Đã khôi phục nội dung chưa lưu được lần trước. Hãy kiểm tra rồi bấm Lưu.",
  };

  function leafForm(element) {
    return element && element.closest ? element.closest("form.leaf-form") : null;
  }

  function draftKey(form) {
    return "parindex-unsaved:" + form.getAttribute("action");
  }

  function draftKeep(form) {
    var draft = {};
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field) draft[name] = field.value;
    });
    try {
      window.sessionStorage.setItem(draftKey(form), JSON.stringify(draft));
    } catch (error) {
      // storage full or disabled: the typed value still stays in the form
    }
  }

  function draftDrop(form) {
    try {
      window.sessionStorage.removeItem(draftKey(form));
    } catch (error) {
      // nothing kept
    }
  }

  function status(form, text, isError, link) {
    var line = form.querySelector(".saved");
    if (!line) return;
    line.textContent = "";
    var span = document.createElement("span");
    if (isError) {
      span.className = "error";
      span.setAttribute("role", "alert");
    }
    span.textContent = text;
    line.appendChild(span);
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = TEXT.login;
      line.appendChild(document.createTextNode(" "));
      line.appendChild(anchor);
    }
  }

  function failed(form, text, link) {
    draftKeep(form);
    form.classList.add("unsaved");
    status(form, text, true, link);
  }

  function loginUrl(form) {
    var login = form.getAttribute("data-login-url") || "/dang-nhap/";
    return login + "?next=" + encodeURIComponent(window.location.pathname + window.location.hash);
  }

  function isLoginPage(form, xhr) {
    var login = form.getAttribute("data-login-url");
    if (!login || !xhr.responseURL) return false;
    try {
      return new URL(xhr.responseURL).pathname === new URL(login, window.location.href).pathname;
    } catch (error) {
      return false;
    }
  }

  function isWholePage(xhr) {
    var text = xhr.responseText || "";
    return /^\s*<!doctype|<html[\s>]/i.test(text.slice(0, 500));
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = leafForm(event.detail.elt);
    if (form) status(form, TEXT.saving, false);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = leafForm(event.detail.elt);
    if (!form) return;
    var xhr = event.detail.xhr;
    event.detail.isError = false; // handled here, in words, where the user is looking
    if (isLoginPage(form, xhr)) {
      event.detail.shouldSwap = false;
      failed(form, TEXT.session, loginUrl(form));
    } else if (xhr.status === 409) {
      // A stale version: the server's fragment says who changed the leaf and when.
      event.detail.shouldSwap = !isWholePage(xhr);
      draftKeep(form);
      form.classList.add("unsaved");
      if (!event.detail.shouldSwap) status(form, TEXT.server, true);
    } else if (xhr.status === 403) {
      event.detail.shouldSwap = false;
      failed(form, TEXT.forbidden);
    } else if (xhr.status >= 400 || isWholePage(xhr)) {
      event.detail.shouldSwap = false;
      failed(form, TEXT.server);
    } else {
      event.detail.shouldSwap = true;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var form = leafForm(event.detail.elt);
    if (!form || event.detail.xhr.status !== 200) return;
    if (!form.querySelector(".saved .error")) {
      form.classList.remove("unsaved");
      draftDrop(form);
    }
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var form = leafForm(event.detail.elt);
      if (form) failed(form, TEXT.network);
    });
  });

  function restore(form) {
    var stored;
    try {
      stored = window.sessionStorage.getItem(draftKey(form));
    } catch (error) {
      return;
    }
    if (!stored) return;
    var draft;
    try {
      draft = JSON.parse(stored);
    } catch (error) {
      draftDrop(form);
      return;
    }
    // The draft keeps the version it was typed on, so saving it is still checked against
    // whatever others saved meanwhile.
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && typeof draft[name] === "string" && !field.disabled) field.value = draft[name];
    });
    form.classList.add("unsaved");
    status(form, TEXT.restored, true);
  }

  function init() {
    document.querySelectorAll("form.leaf-form").forEach(restore);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
