import pytest

from tests.exchange.workbook_factory import year_sheets


@pytest.fixture
def sheets():
    """The valid year workbook's rows, for a test to change (tests/exchange/workbook_factory)."""
    return year_sheets()
