"""Self-hosted Leaflet and jQuery: the files, their versions, their licenses."""

import hashlib
import re
from pathlib import Path

import pytest

from dossier import vendor


def test_folium_still_uses_the_urls_the_book_replaces():
    # a folium upgrade that changed Leaflet's or jQuery's URL would leave maps on the CDN
    assert vendor.check_folium_urls() == []


@pytest.fixture()
def published(tmp_path):
    written = vendor.copy_vendor(tmp_path)
    return tmp_path, written


def test_copy_vendor_writes_the_pinned_files(published):
    root, written = published
    expected = {root / "_vendor" / f.local_path for f in vendor.all_files()}
    assert set(written) == expected
    assert {p for p in (root / "_vendor").rglob("*") if p.is_file()} == expected
    for item in vendor.all_files():
        data = (root / "_vendor" / item.local_path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item.sha256
        assert data == vendor.source_path(item).read_bytes()
    assert not (root / "_static").exists()


def test_versions_inside_the_files(published):
    root, _ = published
    leaflet = (root / "_vendor/leaflet-1.9.3/leaflet.js").read_text(encoding="utf-8")
    jquery = (root / "_vendor/jquery-3.7.1/jquery.min.js").read_text(encoding="utf-8")
    assert 'version="1.9.3"' in leaflet
    assert jquery.startswith("/*! jQuery v3.7.1 ")


def test_license_texts_are_published(published):
    root, _ = published
    leaflet = (root / "_vendor/leaflet-1.9.3/LICENSE").read_text(encoding="utf-8")
    jquery = (root / "_vendor/jquery-3.7.1/LICENSE").read_text(encoding="utf-8")
    assert leaflet.startswith("BSD 2-Clause License") and "Vladimir Agafonkin" in leaflet
    assert "OpenJS Foundation" in jquery and "Permission is hereby granted, free of charge" in jquery


def test_stylesheet_images_resolve(published):
    """leaflet.css refers to images relative to itself; each must be there."""
    root, _ = published
    css_path = root / "_vendor/leaflet-1.9.3/leaflet.css"
    urls = set(re.findall(r"url\(([^)#]+)\)", css_path.read_text(encoding="utf-8")))
    assert urls == {"images/layers.png", "images/layers-2x.png", "images/marker-icon.png"}
    for url in urls:
        assert (css_path.parent / url).is_file(), url
    # Leaflet's default icon also loads these, next to marker-icon.png.
    for name in ("marker-icon-2x.png", "marker-shadow.png"):
        assert (css_path.parent / "images" / name).is_file()


def test_copy_vendor_twice_leaves_files_alone(published):
    root, written = published
    before = {p: p.stat().st_mtime_ns for p in written}
    vendor.copy_vendor(root)
    assert {p: p.stat().st_mtime_ns for p in written} == before


def test_copy_vendor_refuses_other_bytes(tmp_path, monkeypatch):
    tampered = vendor.SUPPORT_FILES[0]._replace(sha256="0" * 64)
    monkeypatch.setattr(vendor, "SUPPORT_FILES", (tampered,) + vendor.SUPPORT_FILES[1:])
    with pytest.raises(vendor.VendorError, match="is not the pinned"):
        vendor.copy_vendor(tmp_path)
    assert not (tmp_path / "_vendor").exists()  # checked before anything is written


def test_copy_vendor_refuses_another_version(tmp_path, monkeypatch):
    import xstatic.pkg.leaflet

    monkeypatch.setattr(xstatic.pkg.leaflet, "VERSION", "1.9.4")
    with pytest.raises(vendor.VendorError, match="version 1.9.4, expected 1.9.3"):
        vendor.copy_vendor(tmp_path)
    assert not (tmp_path / "_vendor").exists()


def test_license_readme_names_the_sources():
    readme = (Path(vendor.__file__).parent / "vendor_licenses" / "README.md").read_text(encoding="utf-8")
    assert "npm pack leaflet@1.9.3" in readme and "npm pack jquery@3.7.1" in readme
