// Drag-and-drop onto the evidence upload fields, and the list of picked files. Nothing is
// sent until the user presses "Tải lên" (WCAG 3.2.2: choosing a file changes no context).
// The plain <input type="file" multiple> keeps working without this script.
(function () {
  "use strict";

  function sizeText(bytes) {
    var mb = bytes / (1024 * 1024);
    if (mb >= 1) return mb.toLocaleString("vi-VN", { maximumFractionDigits: 1 }) + " MB";
    return Math.max(1, Math.round(bytes / 1024)).toLocaleString("vi-VN") + " KB";
  }

  function listPicked(input, line) {
    if (!line) return;
    var names = Array.prototype.map.call(input.files, function (file) {
      return file.name + " (" + sizeText(file.size) + ")";
    });
    line.textContent = names.length
      ? "Đã chọn " + names.length + " tệp: " + names.join(", ") + ". Bấm “Tải lên” để gửi."
      : "";
  }

  function enhance(zone) {
    var input = zone.querySelector('input[type="file"]');
    var form = zone.closest("form");
    if (!input || !form) return;
    var line = form.querySelector(".picked");
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("dragging");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;
      listPicked(input, line);
    });
    input.addEventListener("change", function () {
      listPicked(input, line);
    });
    form.addEventListener("submit", function () {
      if (input.files.length) zone.classList.add("sending");
    });
  }

  function init() {
    document.querySelectorAll(".dropzone").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
