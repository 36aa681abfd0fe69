"""The vendored Vega JavaScript: where it lives in the package and which versions it is.

The same files are inlined into HTML reports and served by the dashboard at
``/static/vendor``, so neither ever loads code from a CDN. See ``VENDORED.md`` there.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor"

#: package -> (file, version), in the order the browser must load them.
SCRIPTS: dict[str, tuple[str, str]] = {
    "vega": ("vega.min.js", "6.4.0"),
    "vega-lite": ("vega-lite.min.js", "6.4.1"),
    "vega-embed": ("vega-embed.min.js", "7.3.0"),
}


@cache
def script(package: str) -> str:
    """The minified source of a vendored package, safe to place inside a <script> element."""
    text = (VENDOR_DIR / SCRIPTS[package][0]).read_text(encoding="utf-8")
    # A literal "</script" would end the element early; none of the shipped files has one.
    return text.replace("</script", "<\\/script")


def version(package: str) -> str:
    return SCRIPTS[package][1]
