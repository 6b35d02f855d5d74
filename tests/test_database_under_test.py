"""The suite really runs on the database the runner asked for (a silent fallback to SQLite would hide bugs)."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_runs_on_the_expected_database():
    expected = os.environ.get("ZHIXING_EXPECT_DB")
    if expected is None:
        pytest.skip("run outside scripts/run_tests.py: no expectation set")

    assert connection.vendor == expected
