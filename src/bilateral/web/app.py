"""The web app: the dashboard at ``/``, its files at ``/static``, the JSON API at ``/api``.

Run it with ``bilateral serve``, or with any ASGI server::

    uvicorn --factory 'bilateral.web.app:app_from_environment'

The dashboard is plain HTML and JavaScript (no build step); the Vega libraries come from
``/static/vendor``, and the Content-Security-Policy allows scripts from this server only.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from bilateral import __version__
from bilateral.report.verdicts import Checker
from bilateral.web.access import ReadOnlyStore
from bilateral.web.api import router
from bilateral.web.safety import BodySizeLimit, SecurityHeaders, install_error_handlers

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Vega compiles its expressions with Function(), hence 'unsafe-eval'; vega-embed adds styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def create_app(store_path: str | Path | None, *, checker: Checker | None = None) -> FastAPI:
    """The app over the store at ``store_path`` (opened read-only).

    ``checker`` replaces the claim checker (text -> checker JSON); by default it is
    :func:`bilateral.report.verdicts.check_text`.
    """
    app = FastAPI(
        title="bilateral",
        version=__version__,
        description="Trade between two countries from real statistics, per source, and "
        "checks of the claims people make about it.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = ReadOnlyStore(store_path, checker=checker)
    install_error_handlers(app)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from the vendored files, so the docs work offline too."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="bilateral API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    app.add_middleware(SecurityHeaders, policy=CONTENT_SECURITY_POLICY, exempt=("/docs",))
    app.add_middleware(BodySizeLimit)
    return app


def app_from_environment() -> FastAPI:
    """The app over ``$BILATERAL_STORE`` (or the per-user default store)."""
    return create_app(None)
