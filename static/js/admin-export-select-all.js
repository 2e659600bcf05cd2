/* django-import-export's export page: the "Seleziona tutti" toggle above the field checkboxes.
   The library wires it with an inline onchange= attribute, which our Content-Security-Policy (no 'unsafe-inline')
   refuses to run; templates/admin/import_export/export.html drops the attribute and this static file attaches the
   behaviour instead. Each resource has its own toggle (data-export-select-all="<resource index>"). */
(function () {
  "use strict";

  function fieldCheckboxes(toggle) {
    var index = toggle.getAttribute("data-export-select-all");
    var rows = toggle.form.querySelectorAll('.selectable-field-export-row[resource-index="' + index + '"]');
    var boxes = [];
    rows.forEach(function (row) {
      row.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        if (box !== toggle) {
          boxes.push(box);
        }
      });
    });
    return boxes;
  }

  function init() {
    document.querySelectorAll("input[data-export-select-all]").forEach(function (toggle) {
      var boxes = fieldCheckboxes(toggle);
      toggle.addEventListener("change", function () {
        boxes.forEach(function (box) {
          box.checked = toggle.checked;
        });
      });
      // The toggle shows the truth: unticking one field unticks it, ticking the last one ticks it again.
      boxes.forEach(function (box) {
        box.addEventListener("change", function () {
          toggle.checked = boxes.every(function (other) {
            return other.checked;
          });
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
