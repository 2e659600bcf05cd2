/* Accessible names for what Django's admin widgets draw without one (axe, WCAG 2.1 AA):
 * - the autocomplete widgets (select2): the search field, the combobox and the list of chosen items;
 * - the date and time inputs of a date-time field ("Data:" / "Ora:" are plain text beside them, not labels);
 * - the help icons of the two-box selectors (a span with aria-label and no role);
 * - the fields of tabular inlines, labelled only by their column header: each gets that header as its name.
 * select2 redraws its markup on every change, so the fixes run again whenever the page changes. */
(function () {
  "use strict";

  function labelText(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/[:*\s]+$/, "").trim() : "";
  }

  function fixSelect2(container) {
    var select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") return;
    var name = labelText(select);
    if (!name) return;
    container.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", name);
      box.removeAttribute("aria-labelledby");
    });
    container.querySelectorAll(".select2-search__field, .select2-selection__rendered[role=textbox]").forEach(function (field) {
      if (!field.hasAttribute("aria-label")) field.setAttribute("aria-label", name);
    });
    // The chosen items are a <ul> that also holds the search field and a "clear" button: not a list for a reader.
    container.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
      list.setAttribute("role", "none");
      Array.prototype.forEach.call(list.children, function (item) {
        if (item.tagName === "LI") item.setAttribute("role", "none");
      });
    });
  }

  function fixDateTime(paragraph) {
    var row = paragraph.closest(".form-row, .fieldBox, td");
    var label = row && row.querySelector("label");
    var name = label ? label.textContent.replace(/[:*\s]+$/, "").trim() : "";
    paragraph.querySelectorAll("input.vDateField, input.vTimeField").forEach(function (input) {
      if (input.hasAttribute("aria-label")) return;
      // The text just before the input is Django's "Data:" or "Ora:".
      var before = input.previousSibling;
      var part = before && before.nodeType === Node.TEXT_NODE ? before.textContent.replace(/[:\s]+$/, "").trim() : "";
      input.setAttribute("aria-label", [name, part].filter(Boolean).join(" – "));
    });
  }

  function fixTabularInline(table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/[:*\s]+$/, "").trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        var name = headers[index];
        if (!name) return;
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
          var labelled = field.id && document.querySelector('label[for="' + field.id + '"]');
          if (!labelled && !field.hasAttribute("aria-label")) field.setAttribute("aria-label", name);
        });
      });
    });
  }

  function fixAll() {
    document.querySelectorAll(".inline-group .tabular table").forEach(fixTabularInline);
    document.querySelectorAll(".select2-container").forEach(fixSelect2);
    document.querySelectorAll("p.datetime").forEach(fixDateTime);
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  var scheduled = false;
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      fixAll();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fixAll();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
})();
