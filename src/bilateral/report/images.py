"""Charts as image files (PNG, SVG) or Vega-Lite JSON, for pasting into documents.

vl-convert runs Vega-Lite in an embedded JavaScript engine, so no browser is needed; it
is told to fetch nothing, since every chart carries its data inline.
"""

from __future__ import annotations

import json

import altair as alt
import vl_convert as vlc

from bilateral.errors import not_one_of

IMAGE_FORMATS = ("png", "svg", "json")


def vegalite_version() -> str:
    """The Vega-Lite version Altair writes specs for, as vl-convert names it ('v6.4')."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"v{major}.{minor}"


def render_chart(chart: alt.TopLevelMixin, fmt: str, *, scale: float = 2.0) -> bytes | str:
    """The chart as PNG bytes, SVG text or its Vega-Lite spec as JSON text."""
    if fmt not in IMAGE_FORMATS:
        raise not_one_of("image format", fmt, IMAGE_FORMATS)
    spec = chart.to_dict()
    if fmt == "json":
        return json.dumps(spec, ensure_ascii=False, indent=2)
    if fmt == "svg":
        return str(vlc.vegalite_to_svg(spec, vl_version=vegalite_version(), allowed_base_urls=[]))
    if fmt == "png":
        return bytes(
            vlc.vegalite_to_png(
                spec, vl_version=vegalite_version(), scale=scale, allowed_base_urls=[]
            )
        )
    raise AssertionError(f"no renderer for {fmt}")  # every one of IMAGE_FORMATS has one
