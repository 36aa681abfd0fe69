"""bilateral's version: in the SQL cache's key, the starter store's manifest, reports and
the web API."""

__version__ = "0.1.0"
