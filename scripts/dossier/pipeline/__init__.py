"""The extraction pipeline: from the captured page and Natural Earth to the files in data/.

Used by the command-line tools in scripts/ (extract_article.py, build_geodata.py,
update_schema.py), never by the notebooks: it imports no pandas and no folium.

* :mod:`.extract` reads a captured article page (metadata, paragraphs, page context);
* :mod:`.rules` tags paragraphs with themes (the keyword rules of data/themes.yml);
* :mod:`.entities` finds the entities of data/entities.yml in the paragraphs;
* :mod:`.geodata` turns Natural Earth TopoJSON into the GeoJSON the maps draw;
* :mod:`.schema` derives the enums of data/datapackage.json from the dossier's lists.
"""
