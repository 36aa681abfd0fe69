"""The JSON API: profile, partners, series, products and claim checks, with OpenAPI docs at /docs.

Countries may be given as ISO alpha-3 codes (KAZ), ISO numeric codes (398) or English or
Russian names (Kazakhstan, Казахстан). Parameters reach the store only as values inside
Ibis expressions, never as SQL text.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from bilateral.web.access import ReadOnlyStore, matching_countries
from bilateral.web.models import (
    CheckRequest,
    CheckResult,
    CountryEntry,
    PartnerRow,
    Products,
    Profile,
    SeriesRow,
    SourceEntry,
    View,
)
from bilateral.web.safety import ERROR_RESPONSES, JSON_ERROR_RESPONSES
from bilateral.web.scheduling import Dispatcher
from bilateral.web.workers import Job

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

CountryParam = Annotated[
    str,
    Query(
        min_length=1,
        max_length=80,
        description="ISO alpha-3 or numeric code, or an English or Russian name",
        examples=["KAZ"],
    ),
]
PartnerParam = Annotated[
    str,
    Query(
        min_length=1,
        max_length=80,
        description="ISO alpha-3 or numeric code, or an English or Russian name",
        examples=["RUS"],
    ),
]
YearParam = Annotated[int, Query(ge=1900, le=2100, examples=[2022])]
SourceParam = Annotated[
    str | None,
    Query(
        max_length=40,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="One source (e.g. kz_bns); every source when absent",
    ),
]
FlowParam = Annotated[Literal["turnover", "exports", "imports"], Query()]
CurrencyParam = Annotated[
    Literal["USD", "EUR"],
    Query(description="Currency of money: USD, or EUR at the ECB's annual average rates"),
]


def store_of(request: Request) -> ReadOnlyStore:
    reader: ReadOnlyStore = request.app.state.store
    return reader


async def ask(request: Request, kind: str, method: str, *args: Any, **options: Any) -> Response:
    """The answer of :class:`ReadOnlyStore`'s ``method``, from the cache or a pool of
    ``kind`` (see :mod:`bilateral.web.scheduling`)."""
    dispatcher: Dispatcher = request.app.state.dispatcher
    job = Job(method, args, tuple(sorted(options.items())))
    return await dispatcher.respond(request, kind, job)


@router.get("/profile", response_model=Profile, summary="Headline indicators of a pair")
async def profile(
    request: Request,
    reporter: CountryParam,
    partner: PartnerParam,
    year: YearParam,
    source: SourceParam = None,
    currency: CurrencyParam = "USD",
) -> Any:
    """``bilateral profile --format json``: turnover, exports, imports, balance, growth,
    the partner's share and rank in the reporter's trade - per source, with provenance.
    Money in ``currency`` (records of unit EUR when currency=EUR), growth recomputed from
    the converted amounts; shares and ranks do not change."""
    reader = store_of(request)
    a, b = reader.code(reporter), reader.code(partner)
    return await ask(request, "query", "profile", a, b, year, source, currency)


@router.get("/partners", response_model=list[PartnerRow], summary="A country's partners, ranked")
async def partners(
    request: Request,
    reporter: CountryParam,
    year: YearParam,
    flow: FlowParam = "turnover",
    source: SourceParam = None,
    top: Annotated[
        int | None, Query(ge=1, le=500, description="Only the first N countries per source")
    ] = None,
    currency: CurrencyParam = "USD",
) -> Any:
    """``bilateral partners --format json`` rows: per source, the reporter's partner
    countries ranked by the flow, with shares in percent, growth and rank change on the
    year before; then the aggregates (World, CIS, EU27, ...), never ranked."""
    code = store_of(request).code(reporter)
    return await ask(request, "query", "partners", code, year, flow, source, top, currency)


@router.get("/series", response_model=list[SeriesRow], summary="Every year of a pair's trade")
async def series(
    request: Request,
    reporter: CountryParam,
    partner: PartnerParam,
    source: SourceParam = None,
    flow: Annotated[
        Literal["turnover", "exports", "imports", "balance"] | None,
        Query(description="One flow; every flow when absent"),
    ] = None,
    start: Annotated[
        int | None, Query(alias="from", ge=1900, le=2100, description="First year")
    ] = None,
    end: Annotated[int | None, Query(alias="to", ge=1900, le=2100, description="Last year")] = None,
    currency: CurrencyParam = "USD",
) -> Any:
    """``bilateral series --format json`` rows: turnover, exports, imports and balance for
    every year the store holds, per source and whose statistics, with growth on the year
    before and each figure's gap from the reporter's own statistics with its reason."""
    reader = store_of(request)
    a, b = reader.code(reporter), reader.code(partner)
    return await ask(request, "query", "series", a, b, source, flow, start, end, currency)


@router.get("/products", response_model=Products, summary="A pair's trade by product")
async def products(
    request: Request,
    reporter: CountryParam,
    partner: PartnerParam,
    year: YearParam,
    level: Annotated[
        Literal["section", "chapter", "heading", "hs6"], Query(description="Product level")
    ] = "chapter",
    flow: Annotated[
        Literal["exports", "imports"] | None,
        Query(description="The reporter's exports or imports; both when absent"),
    ] = None,
    top: Annotated[
        int | None, Query(ge=1, le=500, description="Only the first N products per source")
    ] = None,
    source: SourceParam = None,
    currency: Annotated[
        Literal["USD", "EUR"], Query(description="Currency of money (ECB annual average rate)")
    ] = "USD",
) -> Any:
    """``bilateral products --format json``: per product-level source (BACI, Comtrade,
    Comext CN8, FAOSTAT) and whose statistics, the reporter's exports to and imports from
    the partner by product, ranked, with each product's share of the flow and the
    partner's share of the reporter's world trade in it (null with the reason where the
    source's partner table is not complete)."""
    reader = store_of(request)
    return await ask(
        request,
        "query",
        "products",
        reader.code(reporter),
        reader.code(partner),
        year,
        level=level,
        flow=flow,
        top=top,
        source=source,
        currency=currency,
    )


@router.post("/check", response_model=CheckResult, summary="Check the claims in a text")
async def check(request: Request, body: CheckRequest) -> Any:
    """Find the quantitative claims in the text and judge each against the store.

    Request bodies are limited to 256 KB (413 beyond). The verdicts of a text are kept
    until the store changes."""
    return await ask(request, "check", "check", body.text)


@router.get("/countries", response_model=list[CountryEntry], summary="Countries for type-ahead")
def list_countries(
    q: Annotated[str | None, Query(max_length=80, description="Part of a code or name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 500,
) -> Any:
    """Countries and aggregates whose code or English or Russian name matches ``q``."""
    return matching_countries(q, limit)


@router.get("/sources", response_model=list[SourceEntry], summary="What the store holds")
def list_sources(request: Request) -> Any:
    """Each source with its releases, the years it covers and its caveats."""
    return store_of(request).sources()


@router.get("/view", response_model=View, summary="Everything the dashboard draws")
async def view(
    request: Request,
    reporter: CountryParam,
    partner: PartnerParam,
    year: YearParam,
    source: SourceParam = None,
    currency: CurrencyParam = "USD",
) -> Any:
    """Headline figures, chart specs (Vega-Lite) and tables of a pair in a year, money in
    ``currency`` (named in every money column's heading and chart axis)."""
    reader = store_of(request)
    a, b = reader.code(reporter), reader.code(partner)
    return await ask(request, "query", "view", a, b, year, source, currency)


@router.get(
    "/report.html",
    response_class=HTMLResponse,
    summary="The self-contained HTML report",
    responses={200: {"content": {"text/html": {}}}, **JSON_ERROR_RESPONSES},
)
async def report_html(
    request: Request,
    reporter: CountryParam,
    partner: PartnerParam,
    year: YearParam,
    source: SourceParam = None,
    currency: CurrencyParam = "USD",
) -> Response:
    """The same file ``bilateral report`` writes: one page that works offline."""
    reader = store_of(request)
    a, b = reader.code(reporter), reader.code(partner)
    response = await ask(request, "query", "report_html", a, b, year, source, currency)
    if response.status_code == 200:
        response.headers["Content-Disposition"] = 'inline; filename="bilateral-report.html"'
    return response


MONTH = r"^\d{4}-\d{2}$"


@router.get(
    "/sanctions", response_model=dict[str, Any], summary="EU exports of listed goods to a partner"
)
async def sanctions(
    request: Request,
    partner: PartnerParam,
    list_name: Annotated[
        Literal["eu-cn8", "chpl"], Query(alias="list", description="The list of goods")
    ] = "eu-cn8",
    start: Annotated[
        str | None,
        Query(alias="from", pattern=MONTH, description="First month of the base period, YYYY-MM"),
    ] = None,
    end: Annotated[
        str | None,
        Query(alias="to", pattern=MONTH, description="Last month of the current period, YYYY-MM"),
    ] = None,
    currency: Annotated[
        Literal["EUR", "USD"],
        Query(description="EUR as Comext publishes it, or USD at each month's ECB rate"),
    ] = "EUR",
) -> Any:
    """``bilateral sanctions PARTNER --format json``: listed and other goods in the same
    months of two years (from=2021-01&to=2022-11 compares Jan-Nov 2021 with Jan-Nov 2022),
    their share, and the monthly index; the latest months in the store when absent. Money in
    euro as Comext publishes it unless currency=USD."""
    code = store_of(request).code(partner)
    return await ask(request, "query", "sanctions", code, list_name, start, end, currency)
