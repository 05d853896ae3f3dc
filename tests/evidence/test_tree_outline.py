"""Issue 16, Build 7: the tree page folds by area: one open <details> per top-level area,
its heading the summary, every leaf of the area inside it."""

import re

import pytest
from django.urls import reverse

from criteria.models import Criterion

pytestmark = pytest.mark.usefixtures("during_window")


def test_each_area_is_a_details_whose_summary_is_its_heading(client, officer, yte, leaf):
    client.force_login(officer)
    page = client.get(reverse("evidence:home")).content.decode()
    tree = page.split('<div class="sa-tree">', 1)[1].split("</main>", 1)[0]
    areas = Criterion.objects.filter(year=yte.year, block=yte.block, parent__isnull=True)
    assert tree.count('<details class="area-outline" open>') == areas.count() > 0
    assert tree.count("</details>") == areas.count()
    sections = re.split(r'<details class="area-outline" open>', tree)[1:]
    for area, section in zip(areas.order_by("sort_key"), sections, strict=True):
        summary = section.split("</summary>", 1)[0]
        assert f'<h2 id="area-{area.pk}" class="area">{area.code}. ' in summary
        leaves = Criterion.objects.filter(
            year=yte.year, block=yte.block, code__startswith=f"{area.code}.", is_leaf=True
        )
        for each in leaves:
            assert f'id="leaf-{each.pk}"' in section.split("</details>", 1)[0]
