"""schemathesis over the OpenAPI document of `sayso serve --db`: no 500, every response as documented."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from sayso.web import ServeConfig, create_app
from web_helpers import ThreadServer, free_port, make_store

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)


@pytest.fixture(scope="module")
def api_schema(analyzer, tmp_path_factory):
    store = make_store(tmp_path_factory.mktemp("store"))
    port = free_port()
    with ThreadServer(create_app(ServeConfig(port=port, db=store, time_limit=30), analyzer=analyzer), port=port) as srv:
        yield schemathesis.openapi.from_url(srv.url + "/openapi.json")


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_api_answers_as_documented(api_schema):
    # each operation's cases are drawn by hypothesis from the document (schemathesis's pytest plugin
    # does not run on this pytest); a few examples each keep the run short
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {"/api/analyze", "/api/articles", "/api/search"} <= {op.path for op in operations}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(checks=CHECKS)

        run()
