// Drag-and-drop onto the evidence upload fields: the plain <input type="file" multiple>
// keeps working without this script.
(function () {
  "use strict";

  function enhance(zone) {
    var input = zone.querySelector('input[type="file"]');
    var form = zone.closest("form");
    if (!input || !form) return;
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
      zone.classList.add("sending");
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
    input.addEventListener("change", function () {
      if (input.files.length) {
        zone.classList.add("sending");
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
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
