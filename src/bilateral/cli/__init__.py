"""The ``bilateral`` command line: thin commands that call the library and render with Rich.

``app.py`` is the Typer application and its store-wide commands (ingest, sources, update,
...); each other command is one module (``profile.py``, ``series.py``, ``check.py``, ...);
``common.py`` holds the options and error handling they share, ``render.py`` lays results
out as tables, JSON, CSV or Markdown, ``progress.py`` reports an ingest's progress.
"""

from bilateral.cli.app import app

__all__ = ["app"]
