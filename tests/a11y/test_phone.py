"""Issue 14, Build 6: a commune officer on a phone. At 375 px wide (a phone's viewport,
touch, mobile layout) the home page, the criteria tree, the leaf page (score, note,
measured value, upload from the camera or files) and the public ranking are usable without
sideways scrolling: the page is no wider than the screen and data tables scroll inside
their own focusable box."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from appraisal.services.compute import results_compute
from criteria.models import Year
from evidence.services.uploads import evidence_upload
from tests.appraisal.personas import appraise_everything, build_world
from tests.evidence.conftest import pdf_file
from tests.personas import PASSWORD, Y_TE, person

from .browser import REFLOW, in_browser, sign_in
from .test_axe import windows_around

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


def on_phone(browser, base: str, username: str | None, paths: list[str]) -> dict[str, dict]:
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="vi-VN"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    if username:
        sign_in(page, base, username, PASSWORD)
    found = {}
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        reflow = page.evaluate(REFLOW)
        reflow["file_input"] = page.eval_on_selector_all(
            "input[type=file]", "els => els.map(e => e.getAttribute('accept'))"
        )
        reflow["inputs"] = page.eval_on_selector_all(
            "main input[name=score], main textarea[name=note], main input[name=value]",
            "els => els.map(e => [e.name, e.getBoundingClientRect().right <= innerWidth])",
        )
        found[path] = reflow
    context.close()
    return found


def assert_fits(found: dict[str, dict]) -> None:
    for path, reflow in found.items():
        assert reflow["viewport"] == PHONE["width"], path
        assert reflow["width"] <= PHONE["width"], (path, reflow["width"], reflow["culprits"])
        for table in reflow["tables"]:
            if table["overflows"]:
                assert table["focusable"] and table["named"], (path, table)
        assert all(inside for _name, inside in reflow["inputs"]), (path, reflow["inputs"])


def test_an_officer_on_a_phone_scores_and_uploads_and_the_public_reads_the_ranking(tmp_path):
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        world = build_world()
        Year.objects.filter(pk=world.year.pk).update(
            status=Year.Status.SELF_ASSESSMENT,
            **windows_around(timezone.now(), "self_assessment"),
        )
        world.year.refresh_from_db()
        officer = person("canbo.yte")
        participation = world.participations[Y_TE]
        participation.year = world.year
        evidence_upload(
            participation=participation,
            criterion=world.criteria["1.1"],
            uploaded_file=pdf_file("ke-hoach-cchc.pdf"),
            by=officer,
        )
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            leaf, measured = world.criteria["1.1"].pk, world.criteria["1.2"].pk
            officer_pages = ["/", "/tu-danh-gia/", f"/tu-danh-gia/tieu-chi/{leaf}/"]
            officer_pages.append(f"/tu-danh-gia/tieu-chi/{measured}/")
            found = in_browser(lambda b: on_phone(b, server.url, "canbo.yte", officer_pages))
            assert_fits(found)
            # The leaf page offers the phone's camera and files: images and PDFs accepted.
            accept = found[f"/tu-danh-gia/tieu-chi/{leaf}/"]["file_input"]
            assert accept and all("image/jpeg" in a and "application/pdf" in a for a in accept)
            names = {name for name, _ in found[f"/tu-danh-gia/tieu-chi/{measured}/"]["inputs"]}
            assert {"value", "note"} <= names or {"score", "note"} <= names, names

            appraise_everything(world)
            results_compute(year=world.year)
            Year.objects.filter(pk=world.year.pk).update(
                status=Year.Status.PUBLISHED,
                **windows_around(timezone.now() - timedelta(days=1), "published"),
            )
            public = in_browser(
                lambda b: on_phone(b, server.url, None, ["/", f"/ket-qua/{world.year.year}/"])
            )
            assert_fits(public)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
