// Progressive enhancement of /recherche/: suggestions while typing, facets applied without reload.
// Without JavaScript the page works the same through plain GET forms.
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (input && window.fetch) {
    var list = document.createElement("ul");
    list.id = "q-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var timer = null, active = -1;

    function close() {
      list.hidden = true; list.innerHTML = ""; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function show(items) {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = "q-suggestion-" + i;
        li.setAttribute("role", "option");
        var a = document.createElement("a");
        a.href = item.url; a.textContent = item.title;
        if (item.centre) {
          // The same title may come from several centres: say which.
          var centre = document.createElement("span");
          centre.className = "suggestion-centre";
          centre.textContent = " — " + item.centre;
          a.appendChild(centre);
        }
        li.appendChild(a); list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) { show(data.suggestions || []); })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
        options.forEach(function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
        input.setAttribute("aria-activedescendant", options[active].id);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location = options[active].querySelector("a").href;
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }

  // Facets: re-render the results in place, keep the URL bookmarkable and Back working.
  function render(url, focusSelector) {
    return fetch(url, { headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var freshResults = doc.querySelector(".library .results");
        var freshFilters = doc.querySelector(".library .filters");
        var results = document.querySelector(".library .results");
        var filters = document.querySelector(".library .filters");
        if (!freshResults || !results) { window.location = url; return; }
        // Replace the results' content, not the live region itself, so the new count is announced.
        results.innerHTML = freshResults.innerHTML;
        if (filters && freshFilters) {
          filters.innerHTML = freshFilters.innerHTML;
          var again = focusSelector && filters.querySelector(focusSelector);
          if (again) { again.focus(); }
        }
      });
  }
  document.addEventListener("change", function (event) {
    var target = event.target, form = target.form;
    if (!form || !form.classList.contains("filters") || !window.fetch || !window.DOMParser) return;
    var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    var selector = target.name ? "[name='" + target.name + "'][value='" + (target.value || "") + "']" : null;
    render(url, selector).then(function () { history.pushState({ search: true }, "", url); });
  });
  window.addEventListener("popstate", function () {
    if (document.querySelector(".library .results")) { render(window.location.href, null); }
  });
})();
