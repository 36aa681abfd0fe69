"""The web app: the dashboard at ``/``, its files at ``/static``, the JSON API at ``/api``.

Run it with ``bilateral serve``, or with any ASGI server::

    uvicorn --factory 'bilateral.web.app:app_from_environment'

The dashboard is plain HTML and JavaScript (no build step); the Vega libraries come from
``/static/vendor``, and the Content-Security-Policy allows scripts from this server only.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from bilateral.report.verdicts import Checker
from bilateral.version import __version__
from bilateral.web.access import ReadOnlyStore
from bilateral.web.api import router
from bilateral.web.limits import QUEUE, SHUTDOWN_TIMEOUT, TIME_LIMIT
from bilateral.web.safety import (
    LOOPBACK_HOSTS,
    BodySizeLimit,
    SecurityHeaders,
    TrustedHosts,
    install_error_handlers,
)
from bilateral.web.scheduling import Dispatcher, Kind
from bilateral.web.workers import Pool, ProcessPool, ThreadPool

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Vega compiles its expressions with Function(), hence 'unsafe-eval'; vega-embed adds styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def create_app(
    store_path: str | Path | None,
    *,
    checker: Checker | None = None,
    hosts: Iterable[str] = LOOPBACK_HOSTS,
    workers: int = 0,
    queue: int = QUEUE,
    time_limit: float = TIME_LIMIT,
) -> FastAPI:
    """The app over the store at ``store_path`` (opened read-only).

    ``checker`` replaces the claim checker (text -> checker JSON); by default it is
    :func:`bilateral.report.verdicts.check_text`. ``hosts`` are the names the server
    answers to in a request's ``Host`` header (with any port); by default the loopback
    names only.

    ``workers`` is the number of worker processes for claim checks and as many again for
    the store's other questions (profiles, views, reports...), each kind ``queue``
    questions deep, each job stopped after ``time_limit`` seconds or when its client goes
    (see :mod:`bilateral.web.scheduling`). With 0, the jobs run in threads of this process
    on one reader, as an in-process test client needs: nothing can be stopped then, and a
    ``checker`` need not be a module-level function.
    """
    reader = ReadOnlyStore(store_path, checker=checker)

    def pool(name: str) -> Pool:
        if workers == 0:
            return ThreadPool(name, reader, 1, time_limit)
        return ProcessPool(name, reader.store.root, workers, time_limit, checker=checker)

    dispatcher = Dispatcher(
        {"check": Kind(pool("check"), queue), "query": Kind(pool("query"), queue)},
        reader.store.catalogue_path,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await dispatcher.start()
        try:
            yield
        finally:
            await dispatcher.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="bilateral",
        version=__version__,
        description="Trade between two countries from real statistics, per source, and "
        "checks of the claims people make about it.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = reader
    app.state.dispatcher = dispatcher
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

    # The last added is the outermost: security headers wrap every answer, refusals too.
    app.add_middleware(BodySizeLimit)
    app.add_middleware(TrustedHosts, hosts=tuple(hosts))
    app.add_middleware(SecurityHeaders, policy=CONTENT_SECURITY_POLICY, exempt=("/docs",))
    return app


def run_server(
    app: FastAPI, host: str, port: int, *, shutdown_timeout: int = SHUTDOWN_TIMEOUT
) -> None:
    """Serve ``app`` with uvicorn until SIGTERM or SIGINT.

    On SIGTERM the server stops accepting connections, gives the requests under way
    ``shutdown_timeout`` seconds, stops those still running (their worker processes are
    killed) and returns, so the process exits 0, as service managers expect.
    """
    import signal

    import uvicorn

    config = uvicorn.Config(
        app, host=host, port=port, log_level="info", timeout_graceful_shutdown=shutdown_timeout
    )
    # uvicorn raises the signal again, for the handler it found, once it has stopped:
    # ignored, a stop on SIGTERM ends in a normal return.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    uvicorn.Server(config).run()


def app_from_environment() -> FastAPI:
    """The app over ``$BILATERAL_STORE`` (or the per-user default store), answering to the
    loopback names and those in ``$BILATERAL_ALLOWED_HOSTS`` (comma-separated)."""
    extra = os.environ.get("BILATERAL_ALLOWED_HOSTS", "")
    return create_app(None, hosts=[*LOOPBACK_HOSTS, *filter(None, extra.split(","))])
