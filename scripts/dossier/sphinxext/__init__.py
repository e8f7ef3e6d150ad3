"""Sphinx extensions of the book (listed under `sphinx: extra_extensions` in _config.yml).

* :mod:`.offline_maps` publishes Leaflet with the book and makes every map load it from there;
* :mod:`.page_fixes` drops an inline script that Sphinx 7.4 writes twice on every page, marks the
  References page's entries as list items, declares that pages have no icon, and has a change to
  `book/_static` rewrite every page (Sphinx would not copy it otherwise);
* :mod:`.handouts` lists the printed pack (``{handouts}``), links and publishes the PDFs once
  ``make handouts`` has made them, and gives each map a picture for print;
* :mod:`.htmlcheck` finds the scripts and stylesheets a page (or a map inside it) loads.

They import no pandas and no folium; the tests of the built book use :mod:`.htmlcheck` too.
"""
