"""The JSON API: answers from the BNS store, 422/404/413 with a message, no internals leak."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bilateral.errors import BilateralError
from bilateral.store import Store
from bilateral.web.app import create_app
from bilateral.web.safety import INTERNAL_ERROR, MAX_BODY_BYTES
from tests.bns_cells import WORKBOOK_2022, WORKBOOK_2023, bns_cell, bns_usd
from tests.conftest import LOCAL, snapshot
from tests.ecb_rates import published_annual_rates


def echo_checker(store, text):
    """Stands in for the claim checker where only the transport is under test."""
    return {"claims": [{"text": text[:40], "verdict": "not checkable", "evidence": []}]}


@pytest.fixture(scope="module")
def client(bns_store):
    with TestClient(
        create_app(bns_store, checker=echo_checker),
        raise_server_exceptions=False,
        base_url=LOCAL,
    ) as c:
        yield c


def record(profile, name, source="kz_bns", statistics_of="KAZ"):
    found = [
        r for r in profile["indicators"]
        if (r["name"], r["source"]) == (name, source)
        and r["detail"].get("statistics_of") == statistics_of
    ]  # fmt: skip
    assert len(found) == 1, name
    return found[0]


@pytest.mark.parametrize(
    ("reporter", "partner"),
    [
        pytest.param("KAZ", "RUS", id="codes"),
        pytest.param("Kazakhstan", "Russia", id="english"),
        pytest.param("Казахстан", "Россия", id="russian"),
        pytest.param("398", "643", id="iso-numeric"),
    ],
)
def test_profile_is_the_printed_bns_row_whatever_the_names(client, reporter, partner):
    response = client.get(
        "/api/profile", params={"reporter": reporter, "partner": partner, "year": 2022}
    )
    assert response.status_code == 200, response.text
    profile = response.json()
    assert (profile["reporter"], profile["partner"], profile["year"]) == ("KAZ", "RUS", 2022)
    # 2023 publication, sheet '2022', row 'Россия': columns B (turnover) and C (share, %).
    assert record(profile, "turnover")["value"] == pytest.approx(
        bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover"), abs=1
    )
    assert record(profile, "partner_share_turnover")["value"] == pytest.approx(
        bns_cell(WORKBOOK_2023, "2022", "Россия", "turnover_share"), abs=5e-4
    )
    assert record(profile, "partner_rank_imports")["value"] == 1


def test_profile_in_euro_converts_money_and_growth_and_keeps_shares(client):
    params = {"reporter": "KAZ", "partner": "RUS", "year": 2022}
    usd = client.get("/api/profile", params=params).json()
    response = client.get("/api/profile", params={**params, "currency": "EUR"})
    assert response.status_code == 200
    eur = response.json()
    assert (usd["currency"], eur["currency"]) == ("USD", "EUR")
    rates = published_annual_rates()  # the ECB's annual averages, USD per EUR
    # BNS 2023 publication, sheet '2022', row 'Россия'; the year before from the 2022 one
    now = bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover") / rates[2022]
    before = bns_usd(WORKBOOK_2022, "2021", "Россия", "turnover") / rates[2021]
    turnover = record(eur, "turnover")
    assert (turnover["unit"], turnover["value"]) == ("EUR", pytest.approx(now, rel=1e-4))
    growth = record(eur, "turnover_growth")["value"]
    assert growth == pytest.approx(100 * (now / before - 1), abs=0.05)
    for name in ("partner_share_turnover", "partner_rank_imports"):
        assert record(eur, name)["value"] == record(usd, name)["value"]


@pytest.mark.parametrize("currency", ["usd", "RUB", ""])
def test_profile_refuses_a_currency_it_does_not_know(client, currency):
    params = {"reporter": "KAZ", "partner": "RUS", "year": 2022, "currency": currency}
    response = client.get("/api/profile", params=params)
    assert response.status_code == 422
    assert "USD" in response.json()["detail"] and "EUR" in response.json()["detail"]


def test_profile_of_a_pair_without_trade_says_why_in_every_record(client):
    response = client.get(
        "/api/profile", params={"reporter": "KAZ", "partner": "Antarctica", "year": 2022}
    )
    assert response.status_code == 200
    records = response.json()["indicators"]
    assert records and all(r["value"] is None for r in records)
    turnover = next(r for r in records if r["name"] == "turnover")
    assert turnover["note"] == "not available in kz_bns: no total flows between KAZ and ATA in 2022"


def test_partners_rank_imports_with_printed_shares(client):
    response = client.get(
        "/api/partners", params={"reporter": "KAZ", "year": 2023, "flow": "imports"}
    )
    assert response.status_code == 200
    rows = response.json()
    assert [r["rank"] for r in rows[:3]] == [1, 2, 3]
    china = next(r for r in rows if r["partner"] == "CHN")
    assert china["value_usd"] == pytest.approx(
        bns_usd(WORKBOOK_2023, "2023", "Китай", "imports"), abs=1
    )


def test_series_covers_every_year_in_the_store(client):
    rows = client.get("/api/series", params={"reporter": "KAZ", "partner": "RUS"}).json()
    turnover = {r["year"]: r["value_usd"] for r in rows if r["flow"] == "turnover"}
    assert sorted(turnover) == [2018, 2019, 2020, 2021, 2022, 2023]
    assert turnover[2023] == pytest.approx(
        bns_usd(WORKBOOK_2023, "2023", "Россия", "turnover"), abs=1
    )


def test_series_of_one_flow_with_years_growth_and_side(client):
    # BNS 2023 workbook, sheets '2022' and '2023', row 'Россия', column D (exports)
    rows = client.get(
        "/api/series",
        params={"reporter": "KAZ", "partner": "RUS", "flow": "exports", "from": 2023, "to": 2023},
    ).json()
    (row,) = rows
    now = bns_usd(WORKBOOK_2023, "2023", "Россия", "exports")
    before = bns_usd(WORKBOOK_2023, "2022", "Россия", "exports")
    assert (row["year"], row["flow"], row["side"], row["valuation"]) == (
        2023, "exports", "own", "FOB"
    )  # fmt: skip
    assert row["value_usd"] == pytest.approx(now, abs=1)
    assert row["growth_pct"] == pytest.approx((now / before - 1) * 100, abs=1e-6)
    assert row["gap_usd"] is None  # the reporter's own statistics are the reference


def test_partners_top_n_then_aggregates_apart(client):
    # BNS 2023 workbook, sheet '2022': row 7 'Страны СНГ', columns B and C
    rows = client.get("/api/partners", params={"reporter": "KAZ", "year": 2022, "top": 2}).json()
    countries = [r for r in rows if r["kind"] == "country"]
    assert [(r["partner"], r["rank"]) for r in countries] == [("RUS", 1), ("CHN", 2)]
    assert rows[:2] == countries
    cis = next(r for r in rows if r["partner"] == "CIS")
    assert (cis["kind"], cis["rank"]) == ("group", None)
    assert cis["value_usd"] == pytest.approx(
        bns_usd(WORKBOOK_2023, "2022", "Страны СНГ", "turnover"), abs=1
    )
    assert cis["share"] == pytest.approx(
        bns_cell(WORKBOOK_2023, "2022", "Страны СНГ", "turnover_share"), abs=5e-4
    )
    assert countries[0]["previous_rank"] == 1 and countries[0]["rank_change"] == 0


@pytest.mark.parametrize(
    ("query", "first"),
    [
        pytest.param("kaz", "KAZ", id="english-prefix"),
        pytest.param("Каз", "KAZ", id="russian-prefix"),
        pytest.param("росс", "RUS", id="russian-lowercase"),
        pytest.param("RUS", "RUS", id="code"),
        pytest.param("türki", "TUR", id="accent"),
    ],
)
def test_countries_type_ahead_in_english_and_russian(client, query, first):
    rows = client.get("/api/countries", params={"q": query, "limit": 5}).json()
    assert rows and rows[0]["code"] == first
    assert set(rows[0]) == {"code", "name_en", "name_ru", "is_aggregate"}


def test_sources_lists_releases_years_and_caveats(client):
    (bns,) = client.get("/api/sources").json()
    assert bns["source"] == "kz_bns"
    assert bns["releases"] == ["2019", "2020", "2021", "2022", "2023"]
    assert bns["years"] == [2018, 2019, 2020, 2021, 2022, 2023]


def test_view_has_headline_sections_and_chart_specs(client):
    view = client.get(
        "/api/view", params={"reporter": "KAZ", "partner": "RUS", "year": 2022}
    ).json()
    assert view["title"] == "Kazakhstan and Russia, 2022"
    kinds = {s["kind"]: s for s in view["sections"]}
    assert list(kinds) == ["series", "partners", "structure", "dependence", "mirror", "sanctions"]
    assert kinds["series"]["spec"]["$schema"].endswith("v6.4.1.json")
    assert kinds["structure"]["spec"] is None
    assert kinds["structure"]["missing"] == "not available in kz_bns: it has no HS product detail"
    (headline,) = view["headline"]
    assert headline["turnover"] == pytest.approx(
        bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover"), abs=1
    )


def test_check_returns_the_checker_json(client):
    response = client.post("/api/check", json={"text": "Turnover reached $27 bn in 2022."})
    assert response.status_code == 200
    assert response.json()["claims"][0]["text"] == "Turnover reached $27 bn in 2022."


def test_report_html_is_the_self_contained_report(client):
    response = client.get(
        "/api/report.html", params={"reporter": "KAZ", "partner": "RUS", "year": 2022}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<script src" not in response.text and "$26.97 bn" in response.text


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        pytest.param(
            "/api/profile", {"reporter": "KAZ", "partner": "Atlantis", "year": 2022}, 422,
            "Unknown country or aggregate 'Atlantis'", id="unknown-country",
        ),
        pytest.param(
            "/api/profile", {"reporter": "KAZ", "partner": "RUS", "year": "twenty"}, 422,
            "query parameter 'year': Input should be a valid integer", id="year-not-a-number",
        ),
        pytest.param(
            "/api/profile", {"reporter": "KAZ", "partner": "RUS", "year": 1000}, 422,
            "query parameter 'year': Input should be greater than or equal to 1900",
            id="year-out-of-range",
        ),
        pytest.param(
            "/api/profile", {"reporter": "KAZ", "year": 2022}, 422,
            "query parameter 'partner': Field required", id="missing-partner",
        ),
        pytest.param(
            "/api/profile", {"reporter": "KAZ", "partner": "RUS", "year": 2030}, 404,
            "No figures for 2030 in any source in the store; it holds 2018-2023.",
            id="year-not-held",
        ),
        pytest.param(
            "/api/partners", {"reporter": "KAZ", "year": 2017, "source": "kz_bns"}, 404,
            "No figures for 2017 in kz_bns; it holds 2018-2023.",
            id="year-not-in-source",
        ),
        pytest.param(
            "/api/view", {"reporter": "KAZ", "partner": "ATA", "year": 2022}, 404,
            "No figures for KAZ-ATA in 2022 in the store.",
            id="pair-without-trade",
        ),
        pytest.param(
            "/api/partners", {"reporter": "KAZ", "year": 2022, "flow": "re-exports"}, 422,
            "query parameter 'flow': Input should be 'turnover', 'exports' or 'imports'",
            id="unknown-flow",
        ),
        pytest.param(
            "/api/series", {"reporter": "KAZ", "partner": "RUS", "source": "x'; DROP TABLE files"},
            422, "query parameter 'source': String should match pattern", id="sql-in-source",
        ),
        pytest.param(
            "/api/series", {"reporter": "KAZ' OR '1'='1", "partner": "RUS"}, 422,
            "Unknown country or aggregate 'KAZ' OR '1'='1'", id="sql-in-country",
        ),
        pytest.param(
            "/api/series", {"reporter": "KAZ", "partner": "RUS", "source": "baci"}, 404,
            "Source 'baci' is not in the store; it holds kz_bns.", id="source-not-held",
        ),
        pytest.param(
            "/api/view", {"reporter": "RUS", "partner": "RUS", "year": 2022}, 422,
            "Reporter and partner are both Russia; choose two countries.", id="same-country",
        ),
    ],
)  # fmt: skip
def test_bad_requests_get_a_status_and_one_sentence(client, path, params, status, message):
    response = client.get(path, params=params)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail"} and message in body["detail"]


def test_check_needs_a_text_field(client):
    response = client.post("/api/check", json={"words": "x"})
    assert response.status_code == 422
    assert response.json() == {"detail": "field 'text': Field required"}


def test_check_with_a_body_that_is_not_json(client):
    response = client.post(
        "/api/check", content=b"\xff\xfe not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("request body: not readable as JSON")


def test_check_refuses_a_body_over_the_limit_by_its_declared_length(client):
    text = "x" * (MAX_BODY_BYTES + 10)
    response = client.post("/api/check", json={"text": text})
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large; the limit is 256 KB."}


def test_check_refuses_a_streamed_body_over_the_limit(client):
    def chunks():
        yield b'{"text": "'
        for _ in range(MAX_BODY_BYTES // 4096 + 2):
            yield b"y" * 4096
        yield b'"}'

    response = client.post(
        "/api/check", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "limit is 256 KB" in response.json()["detail"]


def test_a_text_just_under_the_limit_is_checked(client):
    text = "z" * (MAX_BODY_BYTES - 100)
    response = client.post("/api/check", json={"text": text})
    assert response.status_code == 200


def test_an_unexpected_failure_shows_no_internals(bns_store):
    def broken(store, text):
        raise RuntimeError("secret path /root/internal.py line 12")

    app = create_app(bns_store, checker=broken)
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as client:
        response = client.post("/api/check", json={"text": "anything"})
    assert response.status_code == 500
    assert response.json() == {"detail": INTERNAL_ERROR}
    assert "secret" not in response.text and "Traceback" not in response.text


def test_the_server_opens_the_store_read_only_and_leaves_it_as_it_was(bns_store, client):
    before = snapshot(bns_store)
    client.get("/api/profile", params={"reporter": "KAZ", "partner": "RUS", "year": 2022})
    client.get("/api/series", params={"reporter": "KAZ", "partner": "RUS", "source": "kz_bns"})
    store: Store = client.app.state.store.store
    assert store.read_only
    with pytest.raises(BilateralError, match="open read-only"):
        store.ingest([bns_store])
    assert snapshot(bns_store) == before


def test_dashboard_and_vendored_scripts_are_served_locally(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for path in ("/static/vendor/vega.min.js", "/static/vendor/vega-lite.min.js",
                 "/static/vendor/vega-embed.min.js", "/static/dashboard.js"):  # fmt: skip
        assert f'src="{path}"' in page.text
        assert client.get(path).status_code == 200
    assert "http" not in "".join(
        line for line in page.text.splitlines() if "<script" in line or "<link" in line
    )


def test_api_docs_work_offline(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text
    spec = client.get("/openapi.json").json()
    assert {"/api/profile", "/api/partners", "/api/series", "/api/check"} <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert {"gap_reason", "growth_pct", "side"} <= set(schemas["SeriesRow"]["properties"])
    assert {"kind", "rank_change", "previous_rank"} <= set(schemas["PartnerRow"]["properties"])
    series_params = {p["name"] for p in spec["paths"]["/api/series"]["get"]["parameters"]}
    assert {"flow", "from", "to"} <= series_params


def test_check_with_the_claim_checker_judges_against_the_store(bns_store):
    with TestClient(create_app(bns_store), base_url=LOCAL) as client:
        response = client.post(
            "/api/check",
            json={"text": "Trade between Kazakhstan and Russia reached $27 billion in 2022."},
        )
    assert response.status_code == 200
    (claim,) = response.json()["claims"]
    assert (claim["indicator"], claim["year"], claim["verdict"]) == ("turnover", 2022, "supported")
    (evidence,) = [e for e in claim["evidence"] if e["source"] == "kz_bns"]
    # 2023 publication, sheet '2022', row 'Россия', column B.
    assert evidence["value"] == pytest.approx(
        bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover"), abs=1
    )


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
#: Requests that the server refuses or answers, each with its status: every answer
#: carries the same security headers (issue 16, requirement 6).
EVERY_KIND_OF_ANSWER = [
    pytest.param("GET", "/api/sources", {}, 200, id="200"),
    pytest.param("GET", "/api/profile?reporter=KAZ&partner=RUS&year=1900", {}, 404, id="404"),
    pytest.param("GET", "/api/profile?reporter=XXX&partner=RUS&year=2022", {}, 422, id="422"),
    pytest.param("POST", "/api/check", {"content": b"x" * (MAX_BODY_BYTES + 1)}, 413, id="413"),
    pytest.param("GET", "/api/sources", {"headers": {"host": "evil.example"}}, 400,
                 id="400-wrong-host"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url", "extra", "status"), EVERY_KIND_OF_ANSWER)
def test_every_answer_carries_the_security_headers(client, method, url, extra, status):
    response = client.request(method, url, **extra)
    assert response.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "default-src 'self'" in response.headers["content-security-policy"]


HOSTS = [
    pytest.param("127.0.0.1:8000", 200, id="loopback-with-port"),
    pytest.param("localhost", 200, id="localhost"),
    pytest.param("[::1]:8000", 200, id="ipv6-loopback"),
    pytest.param("evil.example", 400, id="rebinding-name"),
    pytest.param("evil.example:8000", 400, id="rebinding-name-with-port"),
    pytest.param("127.0.0.1.evil.example", 400, id="loopback-as-prefix"),
    pytest.param("", 400, id="empty"),
]


@pytest.mark.parametrize(("host", "status"), HOSTS)
def test_the_host_header_is_checked_against_the_configured_names(client, host, status):
    response = client.get("/api/sources", headers={"host": host})
    assert response.status_code == status
    if status == 400:
        assert response.json()["detail"].startswith(f"Host '{host}' is not a name this server")
        assert "--allow-host NAME" in response.json()["detail"]


def test_a_name_given_to_the_server_is_answered(bns_store):
    app = create_app(bns_store, hosts=["trade.example"])
    with TestClient(app, base_url="http://trade.example") as named:
        assert named.get("/api/sources").status_code == 200
        assert named.get("/api/sources", headers={"host": "127.0.0.1"}).status_code == 400


def test_check_refuses_a_lone_surrogate_in_one_line(client):
    body = b'{"text": "Turnover rose \\ud800 to $27 billion."}'
    response = client.post("/api/check", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "field 'text': character 15 is a lone UTF-16 surrogate (\\ud800), not a "
        "character; expected Unicode text"
    }
