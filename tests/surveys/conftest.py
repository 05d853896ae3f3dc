import pytest
from openpyxl import Workbook

from exchange.workbook import COLUMNS, year_workbook_import
from tests.exchange.workbook_factory import save_workbook, year_sheets
from tests.personas import member as person
from units.models import Membership

HEADER = list(COLUMNS["ballots"])


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def year(db, tmp_path):
    """The workbook factory's 2022 year: block A (A1, A18), survey leaves 2.1.1 (hdnd,
    nguoi_dan) and 2.1.2 (hdnd) on scale muc4 (A 1, B 0,75, C 0,5, D 0, E not counted),
    leaf 2.2 without a question, and 7 stored answers on ballots P1, P2, 1001."""
    year, _ = year_workbook_import(source=save_workbook(year_sheets(), tmp_path / "year.xlsx"))
    return year


def write_csv(path, rows, delimiter=","):
    path.write_text("\n".join(delimiter.join(map(str, row)) for row in rows) + "\n", "utf-8")
    return path


def write_xlsx(path, rows, sheet="ballots"):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def home_affairs(year):
    """An officer of Sở Nội vụ: runs the survey."""
    return person("noivu", Membership.Role.HOME_AFFAIRS)


@pytest.fixture
def unit_officer(year):
    """The CCHC officer of Sở Y tế (A18): not theirs to see."""
    return person("canbo.yte", Membership.Role.UNIT_OFFICER, "A18")
