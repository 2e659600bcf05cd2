/*
 * The "Ente" field as a WAI-ARIA 1.2 combobox with list autocomplete and no automatic selection
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/examples/combobox-autocomplete-list/).
 * Without this script the field is a plain text input: free text always works (companies, associations...).
 * Suggestions come from GET <data-url>?q=... (registrations/organizations.py); choosing one fills the text with its
 * label and the hidden field with its ISTAT code; typing again clears the code (the server checks it anyway).
 */
(function () {
  "use strict";

  function setup(group) {
    var input = group.querySelector("input.form-control");
    var listbox = document.getElementById(group.dataset.listbox);
    var status = document.getElementById(group.dataset.status);
    var code = document.getElementById(group.dataset.code);
    if (!input || !listbox || !status || !code) return;

    var options = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var lastQuery = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    // The browser's own autofill list would cover ours.
    input.setAttribute("autocomplete", "off");

    function announce(count) {
      var text = count === 0 ? group.dataset.msgNone : count === 1 ? group.dataset.msgOne : group.dataset.msgMany;
      status.textContent = (text || "").replace("%(count)s", String(count));
    }

    function isOpen() {
      return input.getAttribute("aria-expanded") === "true";
    }

    function open() {
      if (!options.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      setActive(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function setActive(index) {
      if (active >= 0 && options[active]) {
        options[active].element.setAttribute("aria-selected", "false");
        options[active].element.classList.remove("is-active");
      }
      active = index;
      if (index >= 0 && options[index]) {
        var element = options[index].element;
        element.setAttribute("aria-selected", "true");
        element.classList.add("is-active");
        input.setAttribute("aria-activedescendant", element.id);
        element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var option = options[index];
      if (!option) return;
      input.value = option.label;
      code.value = option.code;
      close();
      input.focus();
    }

    function render(results) {
      listbox.textContent = "";
      options = results.map(function (result, index) {
        var li = document.createElement("li");
        li.id = listbox.id + "-" + index;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = result.label;
        li.addEventListener("click", function () {
          choose(index);
        });
        listbox.appendChild(li);
        return { element: li, label: result.label, code: result.code };
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function fetchSuggestions(then) {
      var query = input.value.trim();
      if (query === lastQuery) {
        if (then) then();
        return;
      }
      if (pending) pending.abort();
      if (!query) {
        lastQuery = query;
        render([]);
        close();
        status.textContent = "";
        return;
      }
      pending = new AbortController();
      var url = group.dataset.url + "?q=" + encodeURIComponent(query);
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          pending = null;
          lastQuery = query;
          render(data.results || []);
          announce(options.length);
          if (options.length) open();
          else close();
          if (then) then();
        })
        .catch(function () {
          // Aborted by a newer keystroke, or offline: the field stays a plain text field.
        });
    }

    input.addEventListener("input", function () {
      code.value = ""; // the text no longer is the chosen suggestion
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey) return;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (event.altKey) {
            fetchSuggestions(open);
          } else if (isOpen()) {
            setActive(active < options.length - 1 ? active + 1 : 0);
          } else {
            fetchSuggestions(function () {
              open();
              setActive(options.length ? 0 : -1);
            });
          }
          break;
        case "ArrowUp":
          event.preventDefault();
          if (isOpen()) {
            setActive(active > 0 ? active - 1 : options.length - 1);
          } else {
            fetchSuggestions(function () {
              open();
              setActive(options.length - 1);
            });
          }
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault(); // choose, do not submit the form
            choose(active);
          }
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            code.value = "";
            lastQuery = null;
          }
          break;
        case "Home":
        case "End":
        case "ArrowLeft":
        case "ArrowRight":
          // Visual focus back to the text field; the key then moves the caret as usual.
          if (active >= 0) setActive(-1);
          break;
        case "Tab":
          close();
          break;
      }
    });

    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); // a click on an option or the scrollbar keeps the focus (and the caret) in the field
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  function init() {
    var groups = document.querySelectorAll("[data-organization-picker]");
    for (var i = 0; i < groups.length; i++) setup(groups[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
