/* Search as you type: a progressive enhancement of the results page's GET form.
   Without JavaScript the form works exactly the same; with it, typing (after a pause) fetches the
   same results page and swaps in its facets and results. The live region (role=status) is kept
   and only its text changes, so screen readers announce the new count. */
(function () {
  "use strict";
  var form = document.querySelector(".kb-search__form");
  var input = document.getElementById("kb-search-q");
  if (!form || !input || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;
  var timer = null;
  var controller = null;
  var lastQuery = input.value;

  function swap(doc) {
    var freshResults = doc.querySelector(".kb-search__results");
    var freshFacets = doc.querySelector(".kb-search__facets");
    var results = form.querySelector(".kb-search__results");
    var facets = form.querySelector(".kb-search__facets");
    if (!freshResults || !results || !freshFacets || !facets) return false;
    var status = results.querySelector("[role=status]");
    var freshStatus = freshResults.querySelector("[role=status]");
    if (status && freshStatus) {
      freshStatus.replaceWith(status);
      status.textContent = freshStatus.textContent;
    }
    results.replaceWith(freshResults);
    facets.replaceWith(freshFacets);
    // The heading and the title name the query too.
    var heading = document.querySelector("main h1");
    var freshHeading = doc.querySelector("main h1");
    if (heading && freshHeading) heading.textContent = freshHeading.textContent;
    document.title = doc.title;
    return true;
  }

  function update() {
    var query = input.value.trim();
    if (query === lastQuery || (query.length > 0 && query.length < 3)) return;
    lastQuery = query;
    var params = new URLSearchParams(new FormData(form));
    params.delete("page");
    var url = form.getAttribute("action") + "?" + params.toString();
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(url, {
      signal: controller ? controller.signal : undefined,
      headers: { "X-Requested-With": "search-as-you-type" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (swap(doc)) window.history.replaceState(null, "", url);
      })
      .catch(function () {
        /* Network trouble: the submit button still works. */
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 500);
  });
})();
