// Starts Pagefind's search box on /search/. Result addresses are made from where the site is
// actually served (the page's root link), so search works under any base path.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  var root = new URL(box.getAttribute("data-root") || "./", window.location.href);
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: root.pathname + "pagefind/",
    baseUrl: root.pathname,
    showSubResults: true,
    showImages: false,
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
