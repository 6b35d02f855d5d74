"""The OpenAPI schema is generated without a warning: every component has its own name."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    text = out.read_text()
    assert "CourtListOutput" in text
    assert "TokenIssueOutput" in text
