// The leaf forms' saves (DOMAIN §9, no lost work): a save that fails says so in the
// leaf's status line, never swaps an error or login page into it, and keeps what was typed,
// also across a reload or a new login in the same tab (sessionStorage, per tab).
// A form lists the fields it keeps in data-draft-fields (default: the self-assessment's) and
// names its button in data-save-label. A form with hx-select (the appraisal and explanation
// forms) gets its own part of the page back: on a stale version (409) or a form error, the
// server's version of that part is swapped in; a saved one answers HX-Redirect.
(function () {
  "use strict";

  var FIELDS = ["score", "value", "note", "version"];
  var TEXT = {
    saving: "Đang lưu…",
    session:
      "Chưa lưu được: phiên đăng nhập đã hết hạn. Nội dung vừa nhập vẫn còn ở đây; " +
      "hãy đăng nhập lại, nội dung sẽ được khôi phục để anh/chị bấm Lưu.",
    files: " Các tệp đã chọn cần chọn lại sau khi đăng nhập.",
    login: "Đăng nhập lại",
    forbidden:
      "Chưa lưu được: trang này đã cũ (có thể anh/chị vừa đăng nhập lại ở thẻ khác). " +
      "Nội dung vừa nhập vẫn còn ở đây; hãy tải lại trang (F5), nội dung sẽ được khôi phục " +
      "để anh/chị bấm Lưu.",
    server:
      "Chưa lưu được: máy chủ đang gặp lỗi. Nội dung vừa nhập vẫn còn ở đây; " +
      "hãy thử bấm Lưu lại sau ít phút.",
    tooLarge:
      "Chưa gửi được: dung lượng tải lên quá lớn (tối đa 20 MB mỗi tệp). Nội dung vừa nhập " +
      "vẫn còn ở đây; hãy bỏ bớt hoặc thu nhỏ tệp rồi bấm Lưu.",
    network:
      "Chưa lưu được: mất kết nối mạng. Nội dung vừa nhập vẫn còn ở đây; " +
      "khi có mạng trở lại hãy bấm Lưu.",
    restored:
      "Đã khôi phục nội dung chưa lưu được lần trước. Hãy kiểm tra rồi bấm Lưu.",
  };

  function leafForm(element) {
    return element && element.closest ? element.closest("form.leaf-form") : null;
  }

  // The form that sent a request: htmx fires some events on the swap target, which for a
  // form with hx-select is the part of the page around it.
  function sender(detail) {
    var config = detail.requestConfig;
    return leafForm(config && config.elt) || leafForm(detail.elt);
  }

  function fieldsOf(form) {
    var listed = form.getAttribute("data-draft-fields");
    return listed ? listed.split(/\s+/).filter(Boolean) : FIELDS;
  }

  function selects(form) {
    return form.hasAttribute("hx-select");
  }

  // The wording names the form's own button ("bấm Gửi giải trình").
  function words(form, text) {
    var label = form.getAttribute("data-save-label");
    return label ? text.replace("bấm Lưu", "bấm “" + label + "”") : text;
  }

  function filesChosen(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function draftKey(form) {
    return "parindex-unsaved:" + form.getAttribute("action");
  }

  function draftKeep(form) {
    var draft = {};
    fieldsOf(form).forEach(function (name) {
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
    span.textContent = words(form, text);
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
    var form = sender(event.detail);
    if (form) status(form, TEXT.saving, false);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = sender(event.detail);
    if (!form) return;
    var xhr = event.detail.xhr;
    event.detail.isError = false; // handled here, in words, where the user is looking
    if (isLoginPage(form, xhr)) {
      event.detail.shouldSwap = false;
      failed(form, TEXT.session + (filesChosen(form) ? TEXT.files : ""), loginUrl(form));
    } else if (xhr.status === 413) {
      event.detail.shouldSwap = false;
      failed(form, TEXT.tooLarge);
    } else if (selects(form) && (xhr.status === 200 || xhr.status === 409)) {
      // The server's part of the page: the typed input kept in it, the refusal beside it.
      event.detail.shouldSwap = true;
      if (xhr.status !== 200) draftKeep(form);
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
    var swapped = event.detail.elt;
    // A form swapped in whole with its part of the page is inside the swapped element.
    var form =
      leafForm(swapped) ||
      (swapped.querySelector && swapped.querySelector("form.leaf-form[hx-select]"));
    if (form && selects(form)) {
      if (event.detail.xhr.status !== 200) form.classList.add("unsaved");
      return;
    }
    if (!form || event.detail.xhr.status !== 200) return;
    if (!form.querySelector(".saved .error")) {
      form.classList.remove("unsaved");
      draftDrop(form);
    }
  });

  // A saved form answers HX-Redirect (no swap follows): what was kept is no longer needed.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = sender(event.detail);
    var xhr = event.detail.xhr;
    if (form && xhr && xhr.status < 300 && xhr.getResponseHeader("HX-Redirect")) draftDrop(form);
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var form = sender(event.detail);
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
    fieldsOf(form).forEach(function (name) {
      var field = form.elements.namedItem(name);
      // A radio group is a RadioNodeList: setting its value checks that radio.
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
