/* The book's own script, on every page (added, deferred, by dossier.sphinxext.light_pages).
 *
 * 1. The menu and the page contents open by touch. pydata-sphinx-theme 0.17 binds its handler to
 *    the first .primary-toggle (and .secondary-toggle) of the page only, a button hidden at phone
 *    and tablet widths (the theme's issue 2451); the visible ones showed a tooltip and nothing
 *    else. Every other toggle now passes its click on to the first, which opens the sidebar as a
 *    dialog, as the theme meant.
 * 2. Maps load when they near the screen. The book writes each map's document in data-srcdoc
 *    (dossier.sphinxext.offline_maps); it becomes the frame's srcdoc when the map comes within
 *    about two screens, so a reader who never scrolls to it loads neither the map nor Leaflet.
 * 3. A service worker keeps the whole book for reading offline after one visit (sw.js, written by
 *    dossier.sphinxext.offline_site); only where a page is served over http(s).
 */
(function () {
  "use strict";

  ["primary", "secondary"].forEach(function (side) {
    var toggles = document.querySelectorAll("." + side + "-toggle");
    var first = toggles[0];
    Array.prototype.slice.call(toggles, 1).forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        first.click();
      });
    });
  });

  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe[data-srcdoc]"));
  var load = function (frame) {
    if (frame.hasAttribute("data-srcdoc")) {
      frame.srcdoc = frame.getAttribute("data-srcdoc");
      frame.removeAttribute("data-srcdoc");
    }
  };
  if (frames.length && "IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          load(entry.target);
        }
      });
    }, { rootMargin: "200% 0px" });
    frames.forEach(function (frame) { observer.observe(frame); });
    // Printing shows every map.
    window.addEventListener("beforeprint", function () { frames.forEach(load); });
  } else {
    frames.forEach(load);
  }

  // The footer's zip link: the zip is the site itself, so a copy opened from files has none.
  if (location.protocol === "file:") {
    Array.prototype.forEach.call(document.querySelectorAll(".dossier-offline-link"), function (p) { p.hidden = true; });
  }

  var root = document.documentElement.getAttribute("data-content_root") || "";
  if ("serviceWorker" in navigator && /^https?:$/.test(location.protocol)) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(root + "sw.js").catch(function () { /* not offline, then */ });
    });
  }
})();
