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
})();
