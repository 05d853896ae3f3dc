"""Loading the demo again over the old one (Hải Dương with 2023 in progress) removes that
2023, known by the name the old demo gave it; a 2023 of anyone else's stays."""

import io

from django.core.management import call_command

from criteria.models import Year
from demo.build import year_name


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_old_demos_2023_goes_and_another_2023_stays(transactional_db):
    load_demo()
    theirs = Year.objects.create(year=2023, name="Năm đánh giá 2023 của đơn vị khác")

    assert "Dữ liệu mẫu đã có" in load_demo()
    assert Year.objects.filter(pk=theirs.pk).exists()

    Year.objects.filter(pk=theirs.pk).update(name=year_name(2023))
    out = load_demo()

    assert "Năm 2026: đang trong thời gian tự đánh giá." in out
    assert sorted(Year.objects.values_list("year", flat=True)) == [2021, 2022, 2025, 2026]
