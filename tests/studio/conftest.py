"""Fixtures shared by the tests of the studio's pages."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(frozen):
    """The demo studio (`manage.py demo`), built at the test module's frozen NOW."""
    call_command("demo", stdout=io.StringIO())
