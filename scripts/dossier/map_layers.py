"""How the dossier's maps behave on a page: the places layer and the map's own script and styles.

`dossier.maps` draws a map from data; the two elements here make it usable by touch, keyboard and
screen reader, and are added last to every map:

* `PlacesLayer`: every place from one JSON list, a circle marker each with a target of TARGET_PX,
  a label or tooltip, a popup, and keyboard access (Tab, Enter);
* `MapBehaviour`: the first view fits every place; a swipe scrolls the page until the reader presses
  "Explore the map"; labels keep clear of each other; the scale sits under the zoom buttons; dark
  mode follows the page around the map (MAP_CSS and THEME_JS, written into the map's document).

Kept apart from the drawing so that each module reads on its own (and stays under 700 lines).
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

# Places are targets of at least TARGET_PX (WCAG 2.2, 2.5.8): each dot keeps the radius of its kind
# (data/style.yml) and gets a transparent stroke that makes its pointer target a circle this wide.
TARGET_PX = 24
# Room around the places in the first view: half a target, and a label's height.
FIT_PADDING_PX = 30
# The map document's own styles: labels, the "Explore the map" button, touch, dark mode.
# * Touch: a one-finger swipe over the map scrolls the page (touch-action pan-x pan-y, overriding
#   Leaflet's `none`, Leaflet issue 4415); two fingers pinch and pan the map; after "Explore the
#   map" one finger pans it too. Mouse dragging works as before; the wheel zooms only while exploring.
# * Dark mode: the map takes the mode of the page around it (`data-theme` on its <html>, set by
#   THEME_JS); tiles are dimmed and inverted, outlines, labels, controls and popups go dark.
MAP_CSS = (
    "<style>html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    ".leaflet-container{font:12px/1.5 sans-serif}.leaflet-control-scale-line{font-size:11px}"
    ".leaflet-tooltip.dossier-label{font:600 11px/1.2 sans-serif;padding:1px 4px;"
    "background:rgba(255,255,255,0.85);border:0;box-shadow:none}"
    ".leaflet-tooltip.dossier-label:before{display:none}"
    ".dossier-country{font:italic 600 13px/20px sans-serif;color:#555;text-align:center;"
    "letter-spacing:.15em;text-transform:uppercase;white-space:nowrap}"
    "path.dossier-place{filter:drop-shadow(0 0 1.2px #fff) drop-shadow(0 0 .6px #fff)}"
    ".leaflet-container.leaflet-touch-drag.leaflet-touch-zoom{touch-action:pan-x pan-y}"
    ".leaflet-container.dossier-exploring.leaflet-touch-drag.leaflet-touch-zoom{touch-action:none}"
    ".leaflet-control button.dossier-explore{font:600 13px/1.2 sans-serif;min-height:30px;padding:4px 10px;"
    "background:#fff;color:#1a1a1a;border:2px solid rgba(0,0,0,.35);border-radius:4px;cursor:pointer}"
    ".leaflet-control button.dossier-explore[aria-pressed=true]{background:#0a5c6b;color:#fff}"
    "html[data-theme=dark] .leaflet-container{background:#1d2127}"
    "html[data-theme=dark] .leaflet-tile-pane{filter:invert(1) hue-rotate(180deg) brightness(.8) contrast(.9)}"
    "html[data-theme=dark] path.dossier-country-shape{fill:#3b4048;stroke:#9aa0a6}"
    "html[data-theme=dark] path.dossier-country-shape.dossier-focus{fill:#4a4638}"
    "html[data-theme=dark] .dossier-country{color:#d0d0d0}"
    "html[data-theme=dark] .leaflet-tooltip,html[data-theme=dark] .leaflet-tooltip.dossier-label"
    "{background:rgba(20,24,30,.88);color:#f0f0f0;border-color:#555}"
    "html[data-theme=dark] .leaflet-popup-content-wrapper,html[data-theme=dark] .leaflet-popup-tip"
    "{background:#23272e;color:#f0f0f0}"
    "html[data-theme=dark] .leaflet-popup-content a{color:#8fd3e0}"
    "html[data-theme=dark] .leaflet-bar a,html[data-theme=dark] .leaflet-control button.dossier-explore"
    "{background:#2b3038;color:#f0f0f0;border-color:#666}"
    "html[data-theme=dark] .leaflet-control-attribution,html[data-theme=dark] .leaflet-control-scale-line"
    "{background:rgba(20,24,30,.85);color:#e6e6e6;border-color:#bbb}"
    "html[data-theme=dark] .leaflet-control-attribution a{color:#8fd3e0}</style>"
)
# Runs first in the map document: its mode is the page's (the book's `data-theme`, or Jupyter Lab's
# dark themes), and follows it when the reader switches. A srcdoc frame shares its page's origin.
THEME_JS = (
    "<script>(function(){var root=document.documentElement;function mode(){try{var p=window.parent;"
    "if(p===window)return 'light';var t=p.document.documentElement.getAttribute('data-theme');"
    "if(t)return t;return p.document.body&&p.document.body.getAttribute('data-jp-theme-light')==='false'?'dark':'light'}"
    "catch(e){return 'light'}}function sync(){root.setAttribute('data-theme',mode()==='dark'?'dark':'light')}"
    "sync();try{new window.parent.MutationObserver(sync).observe(window.parent.document.documentElement,"
    "{attributes:true,attributeFilter:['data-theme']})}catch(e){}})();</script>"
)


def script_json(data) -> str:
    """`data` as compact JSON, safe inside a <script> (Jinja's own `tojson` escaping)."""
    return str(htmlsafe_json_dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True))


class PlacesLayer(MacroElement):
    """All the places of a map, from one JSON list: a circle marker each (its `placeId` among its
    options), with a permanent label or a tooltip, a popup, and keyboard access (Tab to reach it,
    Enter or Space to open its popup). Much lighter than a folium element per marker.

    It must be added last: it takes the other shapes (outlines, border, routes) out of the Tab order.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  {{ this.places_json }}.forEach(function (p) {
    // The dot has its kind's radius; a transparent stroke widens the target to {{ this.target }} px.
    var marker = L.circleMarker([p.lat, p.lon], {placeId: p.id, radius: p.radius, color: p.colour, opacity: 0,
                                                 weight: Math.max(2, {{ this.target }} - 2 * p.radius),
                                                 fill: true, fillColor: p.colour, fillOpacity: 1,
                                                 className: "dossier-place"}).addTo(map);
    marker.dossierPlace = p;
    marker.bindTooltip(p.label, {permanent: p.permanent, direction: p.direction,
                                 className: p.permanent ? "dossier-label" : ""});
    marker.bindPopup(p.popup, {maxWidth: 320});
    var element = marker.getElement();
    element.setAttribute("tabindex", "0");
    element.setAttribute("role", "button");
    element.setAttribute("aria-label", p.name + ", " + p.kind + ": press Enter for details");
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); marker.openPopup(); }
    });
  });
  // Outlines, the border and routes are described in the table under the map: Tab skips them.
  map.eachLayer(function (layer) {
    var element = layer.getElement && layer.options.placeId === undefined && layer.getElement();
    if (element && element.tagName.toLowerCase() === "path") { element.setAttribute("tabindex", "-1"); }
  });
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, places: list[dict]):
        super().__init__()
        self._name = "PlacesLayer"
        self.target = TARGET_PX
        self.places = places
        self.places_json = script_json(places)


class MapBehaviour(MacroElement):
    """How a map behaves on a page, added after every layer:

    * its first view fits every place (with room for the dots), and fits again when the frame is
      resized, as long as the reader has not moved the map;
    * a scale under the zoom buttons (at the bottom it sat under a long attribution);
    * an "Explore the map" toggle button (aria-pressed): while it is pressed one finger pans the map
      and the wheel zooms; otherwise a swipe scrolls the page (two fingers always pan and zoom);
    * labels that do not overlap: after each move, each permanent label (crossings and ports first,
      in the order of data/style.yml's place kinds) takes the first side, its own (data/maps.yml's
      `label_sides`) then right, left, top, bottom, where it stays inside the map and clear of other
      labels and dots; a place with no such side shows its name on hover, focus or tap instead.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map, bounds, padding) {
  var moved = false, fitting = false;
  var fit = function () {
    fitting = true;
    map.fitBounds(bounds, {padding: [padding, padding], animate: false});
    fitting = false;
  };
  var container = map.getContainer();
  ["pointerdown", "keydown", "wheel"].forEach(function (type) {
    container.addEventListener(type, function () { moved = true; }, {passive: true});
  });
  // Leaflet's dragging takes a one-finger swipe even where touch-action lets the page scroll, so a
  // touch turns it off unless the reader is exploring; a mouse (or pen) turns it on (this runs in
  // the capture phase, before Leaflet's own listener on the map sees the same press).
  var exploring = false;
  var dragging = function (on) { if (on) { map.dragging.enable(); } else { map.dragging.disable(); } };
  document.addEventListener("pointerdown", function (event) {
    dragging(exploring || event.pointerType !== "touch");
  }, true);
  dragging(!(window.matchMedia && window.matchMedia("(pointer: coarse)").matches));
  L.control.scale({position: "topleft"}).addTo(map);
  var Explore = L.Control.extend({
    options: {position: "topright"},
    onAdd: function () {
      var button = L.DomUtil.create("button", "dossier-explore");
      button.type = "button";
      button.textContent = "Explore the map";
      button.title = "While pressed, one finger (or the mouse wheel) moves and zooms the map; otherwise the page scrolls";
      button.setAttribute("aria-pressed", "false");
      L.DomEvent.disableClickPropagation(button);
      L.DomEvent.on(button, "click", function () {
        var on = button.getAttribute("aria-pressed") !== "true";
        exploring = on;
        dragging(on || !(window.matchMedia && window.matchMedia("(pointer: coarse)").matches));
        button.setAttribute("aria-pressed", on ? "true" : "false");
        (on ? L.DomUtil.addClass : L.DomUtil.removeClass)(container, "dossier-exploring");
        map.scrollWheelZoom[on ? "enable" : "disable"]();
      });
      return button;
    }
  });
  new Explore().addTo(map);

  var places = [];
  map.eachLayer(function (layer) { if (layer.dossierPlace) { places.push(layer); } });
  var labelled = places.filter(function (m) { return m.dossierPlace.permanent; })
                       .sort(function (a, b) { return b.dossierPlace.rank - a.dossierPlace.rank; });
  var overlap = function (a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  };
  var inside = function (r, box) {
    return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
  };
  var label = function (marker, side, permanent) {
    var p = marker.dossierPlace;
    marker.unbindTooltip();
    marker.bindTooltip(p.label, {permanent: permanent, direction: side, className: "dossier-label"});
  };
  var layout = function () {
    var box = container.getBoundingClientRect();
    var dots = places.map(function (m) { return [m, m.getElement().getBoundingClientRect()]; });
    Array.prototype.forEach.call(container.querySelectorAll(".dossier-country, .leaflet-control"), function (item) {
      dots.push([null, item.getBoundingClientRect()]);  // the country names and the controls, too
    });
    var placed = [];
    labelled.forEach(function (marker) {
      var own = marker.dossierPlace.direction;
      var sides = [own].concat(["right", "left", "top", "bottom"].filter(function (d) { return d !== own; }));
      for (var i = 0; i < sides.length; i++) {
        label(marker, sides[i], true);
        var r = marker.getTooltip().getElement().getBoundingClientRect();
        var clear = inside(r, box) && !placed.some(function (q) { return overlap(q, r); })
                    && !dots.some(function (d) { return d[0] !== marker && overlap(d[1], r); });
        if (clear) { placed.push(r); marker.getElement().removeAttribute("data-unlabelled"); return; }
      }
      label(marker, own, false);
      marker.getElement().setAttribute("data-unlabelled", "");
    });
  };
  fit();
  layout();
  map.on("resize", function () { if (!moved) { fit(); } layout(); });
  map.on("zoomend moveend", function () { if (!fitting) { layout(); } });
})({{ this._parent.get_name() }}, {{ this.bounds }}, {{ this.padding }});
{% endmacro %}
""")

    def __init__(self, bounds: list[list[float]], padding: int):
        super().__init__()
        self._name = "MapBehaviour"
        self.bounds = script_json(bounds)
        self.padding = padding
