"""Property-based API tests generated from the OpenAPI document (schemathesis).

Schemathesis sends generated requests, valid and invalid, to every operation of a real
uvicorn server over the BNS store and checks each answer: never a 5xx, documented status
codes, content types and response schemas. Examples are bounded so the run stays short.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from bilateral.web.app import create_app
from tests.live_server import live_server


def no_claims(store, text):
    """Stands in for the claim checker: the API's transport is under test here."""
    return {"claims": []}


# The OpenAPI document does not depend on the store, so it can be read before fixtures exist.
SPEC = create_app(Path(tempfile.gettempdir()) / "bilateral-openapi-only").openapi()
schema = schemathesis.openapi.from_dict(SPEC)


@pytest.fixture(scope="module")
def server(bns_store):
    with live_server(create_app(bns_store, checker=no_claims)) as base:
        yield base


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_5xx_and_keeps_to_its_schema(case, server):
    # A country is any code or name the reference knows, which no JSON schema can list:
    # a schema-valid string such as '0000' is rightly a 422, so "valid data is accepted"
    # (positive_data_acceptance) does not apply. Every other check runs.
    # A new view runs the whole profile (seconds on two cores): a generous read timeout.
    case.call_and_validate(base_url=server, excluded_checks=[positive_data_acceptance], timeout=120)
