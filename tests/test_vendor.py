"""Leaflet, vendored: pinned bytes, inline in notebooks' maps, one published copy in the book."""

import hashlib
import re

import pytest

from dossier import vendor
from dossier.sphinxext.offline_maps import publish


def test_every_file_is_the_pinned_one():
    files = vendor.published_files()
    assert list(files) == [item.local_path for item in vendor.FILES]
    for item in vendor.FILES:
        assert hashlib.sha256(files[item.local_path]).hexdigest() == item.sha256
    assert b'version="1.9.3"' in files[vendor.LEAFLET_JS.local_path]
    license_text = files[f"leaflet-{vendor.LEAFLET_VERSION}/LICENSE"].decode("utf-8")
    assert license_text.startswith("BSD 2-Clause License") and "Vladimir Agafonkin" in license_text


def test_the_inline_copy_is_leaflet_marked_and_without_a_source_map():
    head = vendor.inline_head()
    blocks = re.findall(r'<(style|script) data-dossier-vendor="([^"]+)">(.*?)</\1>', head, re.S)
    assert [(tag, path) for tag, path, _ in blocks] == [("style", "leaflet-1.9.3/leaflet.css"),
                                                        ("script", "leaflet-1.9.3/leaflet.js")]
    css, js = blocks[0][2], blocks[1][2]
    assert ".leaflet-pane" in css and 'version="1.9.3"' in js
    assert "sourceMappingURL" not in head
    # everything but the source-map comment is kept, byte for byte
    original = vendor.verified_bytes(vendor.LEAFLET_JS).decode("utf-8")
    assert original.startswith(js) and len(original) - len(js) < 60


def test_publish_copies_every_file(tmp_path):
    written = publish(tmp_path)
    assert sorted(p.relative_to(tmp_path / "_vendor").as_posix() for p in written) == sorted(
        item.local_path for item in vendor.FILES)
    for item in vendor.FILES:
        assert (tmp_path / "_vendor" / item.local_path).read_bytes() == vendor.source_path(item).read_bytes()
    css = (tmp_path / "_vendor" / vendor.LEAFLET_CSS.local_path).read_text(encoding="utf-8")
    for image in set(re.findall(r"url\((images/[^)]+)\)", css)):  # the stylesheet's images resolve
        assert (tmp_path / "_vendor" / f"leaflet-{vendor.LEAFLET_VERSION}" / image).is_file(), image


def test_other_bytes_are_refused_before_anything_is_written(tmp_path, monkeypatch):
    tampered = vendor.FILES[2]._replace(sha256="0" * 64)
    monkeypatch.setattr(vendor, "FILES", vendor.FILES[:2] + (tampered,) + vendor.FILES[3:])
    with pytest.raises(vendor.VendorError, match="is not the pinned"):
        publish(tmp_path)
    assert not (tmp_path / "_vendor").exists()


def test_another_version_is_refused(tmp_path, monkeypatch):
    import xstatic.pkg.leaflet

    monkeypatch.setattr(xstatic.pkg.leaflet, "VERSION", "1.9.4")
    with pytest.raises(vendor.VendorError, match="version 1.9.4, expected 1.9.3"):
        vendor.inline_head()
    with pytest.raises(vendor.VendorError):
        publish(tmp_path)
    assert not (tmp_path / "_vendor").exists()
