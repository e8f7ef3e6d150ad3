"""Distances on the Earth, for the pipeline (the Durand Line's length) and the notebooks.

Positions are (longitude, latitude) in degrees, in GeoJSON order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

Position = tuple[float, float]


def haversine_km(a: Sequence[float], b: Sequence[float]) -> float:
    """Great-circle distance in km between two (lon, lat) positions (the haversine formula)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def line_length_km(line: Sequence[Sequence[float]]) -> float:
    """Length in km of a line through (lon, lat) positions, along great circles. Added up with
    math.fsum, exactly rounded on every Python: sum() of floats is compensated from 3.12 on, so its
    last digits would depend on the interpreter."""
    return math.fsum(haversine_km(p, q) for p, q in zip(line, line[1:]))
