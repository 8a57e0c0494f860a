"""The JSON API against its own OpenAPI schema, in process: generated requests never get a server error, and
every answer has a documented status, content type and shape. The server may edit, on its own copy of the
development store (generated corrections may be written)."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install -e '.[web]')")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -e '.[dev]')")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from detente.web.app import Settings, create_app  # noqa: E402

from .conftest import DEV  # noqa: E402

pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason=f"no development corpus at {DEV}")


# Whether a text is an article, or a generated id names a stored fact, is no matter of schema: these may refuse
# schema-valid input with 400, 404 or 409 and the reason.
REFUSING = {"/api/extract", "/api/corrections", "/api/corrections/import", "/api/corrections/{correction_id}/undo"}


@pytest.fixture(scope="module")
def api_schema(dev_store, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("schema") / "copy.duckdb")
    shutil.copy(dev_store, db)
    app = create_app(Settings(db=db, max_body=20_000, allow_edit=True, extra_hosts=frozenset({"testserver"})))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_api_conforms_to_its_schema(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/extract", "/api/pairs", "/api/report/{a}/{b}",
                                              "/api/entities/{entity_id}", "/api/documents/{doc_id}",
                                              "/api/corrections/export", *REFUSING}  # fmt: skip
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)  # fmt: skip
        def conforms(case):
            refusing = [positive_data_acceptance] if case.operation.path in REFUSING else []
            case.call_and_validate(excluded_checks=refusing)

        conforms()
