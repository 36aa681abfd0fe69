"""The choices the questions of :mod:`bilateral.answers` take, kept apart from the answers
so that the command line can offer them without importing the engine."""

from collections.abc import Mapping

#: What ``bilateral series`` follows, seen from the first country.
SERIES_FLOWS = ("turnover", "exports", "imports", "balance")
#: Flows whose growth is a percent change; a balance's is its change in money only.
GROWING_FLOWS = ("turnover", "exports", "imports")
#: What ``bilateral partners`` ranks by.
PARTNER_FLOWS = ("turnover", "exports", "imports")
#: What ``bilateral products`` breaks down.
PRODUCT_FLOWS = ("exports", "imports")
#: The levels a user names, and the composition level each is.
PRODUCT_LEVELS: Mapping[str, str] = {
    "section": "section",
    "chapter": "chapter",
    "heading": "heading",
    "hs6": "subheading",
}
#: The product-level sources, and the rows of each that a breakdown reads.
PRODUCT_SOURCES: Mapping[str, str] = {
    "baci": "HS6",
    "comtrade": "HS6",
    "comext_cn8": "CN8",
    "faostat": "FAO",
    "faostat_bulk": "FAO",
}
