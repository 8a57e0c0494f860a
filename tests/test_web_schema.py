"""The JSON API against its own OpenAPI schema, in process: generated requests never get a server error, and
every answer has a documented status, content type and shape."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install -e '.[web]')")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -e '.[dev]')")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from detente.web.app import Settings, create_app  # noqa: E402

from .conftest import DEV  # noqa: E402

pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason=f"no development corpus at {DEV}")


@pytest.fixture(scope="module")
def api_schema(dev_store):
    app = create_app(Settings(db=dev_store, max_body=20_000, extra_hosts=frozenset({"testserver"})))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_api_conforms_to_its_schema(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/extract", "/api/pairs", "/api/report/{a}/{b}",
                                              "/api/entities/{entity_id}", "/api/documents/{doc_id}"}  # fmt: skip
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)  # fmt: skip
        def conforms(case):
            # Whether a text is an article (not empty, not binary, HTML with a main text) is no matter of schema:
            # the extraction may refuse a schema-valid text with 400 and its reason.
            unreadable_allowed = [positive_data_acceptance] if case.operation.path == "/api/extract" else []
            case.call_and_validate(excluded_checks=unreadable_allowed)

        conforms()
