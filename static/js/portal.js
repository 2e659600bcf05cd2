/* Portal behaviour that Bootstrap Italia does not cover. A static file, never an inline script (strict CSP). */
(function () {
  "use strict";
  // Links marked data-print open the browser's print dialog (the lab page's "Stampa" action).
  document.querySelectorAll("[data-print]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
  // Filter forms send only the fields that have a value: the URL a person shares or bookmarks reads
  // "?area=welfare&stato=ongoing", not "?q=&area=welfare&stato=ongoing&programma=&anno=…".
  document.querySelectorAll("form.portal-filters").forEach(function (form) {
    form.addEventListener("formdata", function (event) {
      Array.from(event.formData.entries()).forEach(function (entry) {
        if (entry[1] === "") {
          event.formData.delete(entry[0]);
        }
      });
    });
  });
})();
