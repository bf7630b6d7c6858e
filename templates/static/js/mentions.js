// While the pointer or the keyboard focus is on an entity link in an article,
// mark every mention of that entity in the text. Without JavaScript the links
// and the first mention per paragraph work the same; only this echo is missing.
(function () {
  "use strict";
  var body = document.querySelector(".body");
  if (!body) {
    return;
  }
  function echo(event, on) {
    var link = event.target.closest ? event.target.closest("a[data-entity]") : null;
    if (!link) {
      return;
    }
    var all = body.querySelectorAll('[data-entity="' + link.getAttribute("data-entity") + '"]');
    for (var i = 0; i < all.length; i += 1) {
      all[i].classList.toggle("ent-on", on);
    }
  }
  body.addEventListener("mouseover", function (e) { echo(e, true); });
  body.addEventListener("mouseout", function (e) { echo(e, false); });
  body.addEventListener("focusin", function (e) { echo(e, true); });
  body.addEventListener("focusout", function (e) { echo(e, false); });
}());
