"""Every role × every URL of the app, for a published year (2025) and one not yet published
(2026, its results computed): the status each must get (issue 12, holes 2 and 4).

Unpublished results — the ranking, a unit's page, the results API, the annexes and the
report, the survey tallies — are for those who decide only: the council, the secretariat
lead and Sở Nội vụ. An appraiser sees the leaves of the areas assigned to them and nothing
of a unit's total. The URL list is walked from the resolver: a URL added without an entry
here fails `test_every_url_pattern_has_an_entry`.

The demo is loaded once for the module (Hải Dương's 2021 and 2022 and Hải Phòng's 2025
published, 2026 in self-assessment);
each request runs in its test's transaction, rolled back after it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from appraisal.services.compute import results_compute
from criteria.models import Criterion, Participation, Year
from demo.users import Y_TE
from evidence.models import EvidenceFile, Score
from kernel.models import Job
from surveys.models import RespondentGroup, Scale
from tests.personas import person
from units.models import Membership, Unit

ROLES = ("anonymous", "officer", "delegate", "head", "appraiser", "lead", "council", "noivu")
USERNAMES = {
    "officer": "canbo.yte",
    "delegate": "chuyenvien.yte",
    "head": "thutruong.yte",
    "appraiser": "thamdinh.tuphap",
    "lead": "totruong",
    "council": "hoidong",
    "noivu": "noivu",
}
LOGIN = 302


def statuses(*values: int) -> dict[str, int]:
    return dict(zip(ROLES, values, strict=True))


#                             anon  off  dele head appr lead coun noivu
PUBLIC = statuses(200, 200, 200, 200, 200, 200, 200, 200)
DECIDERS = statuses(404, 404, 404, 404, 404, 200, 200, 200)
DECIDERS_403 = statuses(LOGIN, 403, 403, 403, 403, 200, 200, 200)
UNIT_PAGE = statuses(LOGIN, 200, 200, 200, 404, 404, 404, 404)
NOIVU_ONLY = statuses(LOGIN, 403, 403, 403, 403, 403, 403, 200)
POST_ONLY = statuses(LOGIN, 405, 405, 405, 405, 405, 405, 405)


def walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the admin's own tests (test_admin_*.py, test_content_security_policy)
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield namespace + entry.name, prefix + str(entry.pattern)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, with 2026's results computed, a delegated colleague and one evidence file
    on a leaf of each of Sở Y tế's areas (1 for the delegate, 2 for the rest)."""
    from django.conf import settings

    media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))
        # What 2025's publication's render job stores: visitors are served these files.
        from reports.services import bundle_refresh

        bundle_refresh(year=Year.objects.get(year=2025))
        year = Year.objects.get(year=2026)
        results_compute(year=year)
        yte = Participation.objects.get(year=year, unit__code=Y_TE)
        colleague = person("chuyenvien.yte", unit=Unit.objects.get(code=Y_TE))
        leaves = {
            area: Criterion.objects.filter(
                year=year, block=yte.block, is_leaf=True, method="evidence", code__startswith=area
            ).order_by("sort_key")[0]
            for area in ("1.", "2.")
        }
        files = {}
        for area, leaf in leaves.items():
            score, _ = Score.objects.get_or_create(participation=yte, criterion=leaf)
            evidence = EvidenceFile(
                participation=yte, original_name=f"{leaf.code}.pdf", kind="pdf", size=9, sha256="0"
            )
            evidence.file.save("x", ContentFile(b"%PDF-1.4\n"))
            score.evidence.add(evidence)
            files[area] = evidence
        Score.objects.filter(participation=yte, criterion=leaves["1."]).update(
            delegated_to=colleague
        )
        ids = {
            "leaf_delegated": leaves["1."].pk,
            "leaf_other": leaves["2."].pk,
            "leaf_other_code": leaves["2."].code,
            "file_delegated": files["1."].pk,
            "file_other": files["2."].pk,
            "render_job": Job.objects.create(kind=Job.Kind.RENDER, year=2026).pk,
            "compute_job": Job.objects.create(kind=Job.Kind.COMPUTE, year=2026).pk,
            "yte": Y_TE,
        }
        for number in (2025, 2026):
            ids[number] = {
                "year": number,
                "scale": Scale.objects.filter(year__year=number).values_list("pk", flat=True)[0],
                "survey_leaf": Criterion.objects.filter(
                    year__year=number, block__code="S", method="survey", is_leaf=True
                ).values_list("pk", flat=True)[0],
                "group": RespondentGroup.objects.filter(year__year=number)
                .values_list("code", flat=True)
                .order_by("code")[0],
                "appraised_leaf": Criterion.objects.filter(
                    year__year=number, block__code="S", method="evidence", code__startswith="2."
                )
                .order_by("sort_key")
                .values_list("code", flat=True)[0],
            }
        yield ids
        settings.MEDIA_ROOT = media
        _demo_delete()


def _demo_delete() -> None:
    from exchange.workbook import year_data_delete
    from units.models import Block, Unit

    for year in Year.objects.all():
        year_data_delete(year=year)
    Job.objects.all().delete()
    Membership.objects.all().delete()
    get_user_model().objects.all().delete()
    Unit.objects.all().delete()
    Block.objects.all().delete()


# URL name → a sample path ({year} and ids filled in from the demo fixture).
SAMPLES = {
    "home": "/",
    "year_results": "/ket-qua/{year}/",
    "sipas_results": "/ket-qua/{year}/hai-long/",
    "unit_results": "/ket-qua/{year}/S1/",
    "results_api": "/api/years/{year}/results",
    "evidence:home": "/tu-danh-gia/",
    "evidence:leaf": "/tu-danh-gia/tieu-chi/{leaf_other}/",
    "evidence:leaf_save": "/tu-danh-gia/tieu-chi/{leaf_other}/luu/",
    "evidence:upload": "/tu-danh-gia/tieu-chi/{leaf_other}/tai-len/",
    "evidence:link": "/tu-danh-gia/tieu-chi/{leaf_other}/dung-lai/",
    "evidence:unlink": "/tu-danh-gia/tieu-chi/{leaf_other}/tep/{file_other}/go/",
    "evidence:replace": "/tu-danh-gia/tieu-chi/{leaf_other}/tep/{file_other}/thay-the/",
    "evidence:not_applicable": "/tu-danh-gia/tieu-chi/{leaf_other}/khong-ap-dung/",
    "evidence:delegate": "/tu-danh-gia/tieu-chi/{leaf_other}/giao/",
    "evidence:submit": "/tu-danh-gia/gui/",
    "evidence:withdraw": "/tu-danh-gia/rut-lai/",
    "evidence:download": "/tu-danh-gia/tep/{file_other}/",
    "appraisal:queue": "/tham-dinh/",
    "appraisal:queue_year": "/tham-dinh/{year}/",
    "appraisal:assignments": "/tham-dinh/{year}/phan-cong/",
    "appraisal:unit_area": "/tham-dinh/{year}/don-vi/S1/linh-vuc/2/",
    "appraisal:leaf": "/tham-dinh/{year}/don-vi/S1/tieu-chi/{appraised_leaf}/",
    "appraisal:leaf_not_applicable": "/tham-dinh/{year}/don-vi/S1/tieu-chi/{appraised_leaf}/khong-ap-dung/",
    "appraisal:evidence_file": "/tham-dinh/tep/{file_other}/",
    "appraisal:explanations_home": "/tham-dinh/giai-trinh/",
    "appraisal:explanations": "/tham-dinh/giai-trinh/{year}/",
    "appraisal:explanation": "/tham-dinh/giai-trinh/{year}/{yte}/{appraised_leaf}/",
    "appraisal:council": "/tham-dinh/hoi-dong/",
    "appraisal:council_year": "/tham-dinh/hoi-dong/{year}/",
    "appraisal:compute": "/tham-dinh/hoi-dong/{year}/tinh-lai/",
    "appraisal:publish": "/tham-dinh/hoi-dong/{year}/cong-bo/",
    "appraisal:survey_gap": "/tham-dinh/hoi-dong/{year}/cong-bo/ghi-nhan/",
    "appraisal:correction": "/tham-dinh/hoi-dong/{year}/dinh-chinh/",
    "appraisal:correction_open": "/tham-dinh/hoi-dong/{year}/dinh-chinh/mo/",
    "appraisal:correction_score": "/tham-dinh/hoi-dong/{year}/dinh-chinh/diem/",
    "appraisal:correction_cancel": "/tham-dinh/hoi-dong/{year}/dinh-chinh/huy/",
    "appraisal:job": "/tham-dinh/tac-vu/{compute_job}/",
    "surveys:index": "/dieu-tra/",
    "surveys:dashboard": "/dieu-tra/{year}/",
    "surveys:tallies": "/dieu-tra/{year}/kiem-dem/S/",
    "surveys:upload_new": "/dieu-tra/{year}/nhap-phieu/",
    "surveys:upload": "/dieu-tra/tep/999999/",
    "surveys:upload_progress": "/dieu-tra/tep/999999/tien-do/",
    "surveys:upload_confirm": "/dieu-tra/tep/999999/xac-nhan/",
    "surveys:upload_cancel": "/dieu-tra/tep/999999/huy/",
    "surveys:questionnaire": "/dieu-tra/{year}/bang-hoi/",
    "surveys:groups_edit": "/dieu-tra/{year}/bang-hoi/nhom/",
    "surveys:plan_edit": "/dieu-tra/{year}/bang-hoi/ke-hoach/",
    "surveys:scale_new": "/dieu-tra/{year}/bang-hoi/thang-do/moi/",
    "surveys:scale_edit": "/dieu-tra/{year}/bang-hoi/thang-do/{scale}/",
    "surveys:question_edit": "/dieu-tra/{year}/bang-hoi/cau-hoi/{survey_leaf}/",
    "surveys:blank_ballot": "/dieu-tra/{year}/phieu-trang/S/{group}.pdf",
    "reports:documents": "/bao-cao/{year}/",
    "reports:annex": "/bao-cao/{year}/bieu/S1.pdf",
    "reports:summary": "/bao-cao/{year}/summary.xlsx",
    "reports:report_pdf": "/bao-cao/{year}/report.pdf",
    "reports:report_docx": "/bao-cao/{year}/report.docx",
    "reports:bundle": "/bao-cao/{year}/tron-bo.zip",
    "reports:render": "/bao-cao/{year}/ket-xuat/",
    "reports:job": "/bao-cao/tac-vu/{render_job}/",
    "audit_log": "/nhat-ky/",
    "audit_export": "/nhat-ky/tai-ve.csv",
    "audit_export_xlsx": "/nhat-ky/tai-ve.xlsx",
    "notifications:notices": "/thong-bao/",
    "notifications:outbox": "/thong-bao/thu-di/",
    "notifications:open": "/thong-bao/999999/mo/",
    "notifications:read_all": "/thong-bao/da-doc/",
    "accounts:activate_code": "/tai-khoan/kich-hoat/",
    "accounts:activate": "/tai-khoan/kich-hoat/MQ/sai-ma/",
    "accounts:first_password": "/tai-khoan/dat-mat-khau/",
    "accounts:password_reset": "/tai-khoan/quen-mat-khau/",
    "accounts:password_reset_done": "/tai-khoan/quen-mat-khau/da-gui/",
    "accounts:password_reset_confirm": "/tai-khoan/dat-lai/MQ/sai-ma/",
    "accounts:password_reset_complete": "/tai-khoan/dat-lai/xong/",
    "accounts:password_change": "/tai-khoan/doi-mat-khau/",
    "accounts:password_change_done": "/tai-khoan/doi-mat-khau/xong/",
    "login": "/dang-nhap/",
    "logout": "/dang-xuat/",
    "exchange:start_year": "/nam-danh-gia/bat-dau/",
    "criteria:tree_home": "/nam-danh-gia/{year}/bo-chi-so/",
    "criteria:tree": "/nam-danh-gia/{year}/bo-chi-so/S/",
    "criteria:tree_edit": "/nam-danh-gia/{year}/bo-chi-so/S/sua/",
}


def sample_url(name: str, demo: dict, year: int) -> str:
    return SAMPLES[name].format(**{**demo, **demo[year]})


def client_for(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=USERNAMES[role]))
    return client


PUBLISHED, UNPUBLISHED = 2025, 2026
# Statuses per role, for URLs whose answer does not depend on the year.
#                               anon   off  dele  head  appr  lead  coun  noivu
UNIT = statuses(LOGIN, 200, 200, 200, 404, 404, 404, 404)
UNIT_WHOLE = statuses(LOGIN, 200, 404, 200, 404, 404, 404, 404)
UNIT_POST = statuses(LOGIN, 405, 405, 405, 405, 405, 405, 405)
# Sở Y tế's file on a leaf of area 2, not delegated: the delegate never; the appraiser of
# area 2 (from Sở Tư pháp) may.
OTHER_LEAFS_FILE = statuses(LOGIN, 200, 404, 200, 200, 200, 200, 200)
APPRAISERS = statuses(LOGIN, 403, 403, 403, 200, 200, 403, 403)
ASSIGNERS = statuses(LOGIN, 403, 403, 403, 403, 200, 403, 200)
APPRAISAL_POST = statuses(LOGIN, 403, 403, 403, 405, 405, 403, 403)
UNIT_ROUND = statuses(LOGIN, 200, 200, 200, 403, 403, 403, 403)
COUNCIL_PAGES = statuses(LOGIN, 403, 403, 403, 403, 200, 200, 200)
PUBLISHERS = statuses(LOGIN, 403, 403, 403, 403, 403, 200, 200)
HOME_AFFAIRS = statuses(LOGIN, 403, 403, 403, 403, 403, 403, 200)
# Survey tallies are results: those who decide only, whatever the year.
SURVEY_STAFF = statuses(LOGIN, 403, 403, 403, 403, 200, 200, 200)
NOT_FOUND_FOR_HOME_AFFAIRS = statuses(LOGIN, 403, 403, 403, 403, 403, 403, 404)
EVERYONE = statuses(200, 200, 200, 200, 200, 200, 200, 200)
EVERYONE_405 = statuses(405, 405, 405, 405, 405, 405, 405, 405)
# The bundle answers "đang chuẩn bị" (503, Retry-After) until its documents are rendered.
BUNDLE = statuses(*[{200, 503}] * 8)
BUNDLE_DECIDERS = statuses(404, 404, 404, 404, 404, {200, 503}, {200, 503}, {200, 503})

# URL name → expected statuses: one dict for every year, or {year: dict}.
MATRIX = {
    "home": EVERYONE,
    "exchange:start_year": HOME_AFFAIRS,
    # Redirects to the block when the year has only one.
    "criteria:tree_home": statuses(LOGIN, 403, 403, 403, 403, 403, 403, {200, 302}),
    "criteria:tree": HOME_AFFAIRS,
    "criteria:tree_edit": EVERYONE_405,
    "year_results": {PUBLISHED: EVERYONE, UNPUBLISHED: DECIDERS},
    # 2026 has no ballots yet, so no SIPAS figures: the page is not found for anyone.
    "sipas_results": {PUBLISHED: EVERYONE, UNPUBLISHED: statuses(*[404] * 8)},
    "unit_results": {PUBLISHED: EVERYONE, UNPUBLISHED: DECIDERS},
    "results_api": {PUBLISHED: EVERYONE, UNPUBLISHED: DECIDERS},
    "evidence:home": UNIT,
    "evidence:leaf": UNIT_WHOLE,
    "evidence:leaf_save": UNIT_POST,
    "evidence:upload": UNIT_POST,
    "evidence:link": UNIT_POST,
    "evidence:unlink": UNIT_POST,
    "evidence:replace": UNIT_POST,
    "evidence:not_applicable": UNIT_POST,
    "evidence:delegate": UNIT_POST,
    "evidence:submit": UNIT_WHOLE,
    "evidence:withdraw": UNIT_POST,
    "evidence:download": OTHER_LEAFS_FILE,
    # The appraisers' home sends them on to the year in progress.
    "appraisal:queue": statuses(LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "appraisal:queue_year": APPRAISERS,
    "appraisal:assignments": ASSIGNERS,
    # Area 2 of block S is assigned to the appraiser in 2026 only.
    "appraisal:unit_area": {
        PUBLISHED: statuses(LOGIN, 403, 403, 403, 404, 200, 403, 403),
        UNPUBLISHED: APPRAISERS,
    },
    "appraisal:leaf": {
        PUBLISHED: statuses(LOGIN, 403, 403, 403, 404, 200, 403, 403),
        UNPUBLISHED: APPRAISERS,
    },
    "appraisal:leaf_not_applicable": APPRAISAL_POST,
    "appraisal:evidence_file": OTHER_LEAFS_FILE,
    # The unit's explanation home sends it on to the year in progress.
    "appraisal:explanations_home": statuses(LOGIN, 302, 302, 302, 403, 403, 403, 403),
    "appraisal:explanations": UNIT_ROUND,
    # No leaf of Sở Y tế is disputed in the demo.
    "appraisal:explanation": statuses(LOGIN, 404, 404, 404, 403, 403, 403, 403),
    "appraisal:council": statuses(LOGIN, 403, 403, 403, 403, 302, 302, 302),
    "appraisal:council_year": COUNCIL_PAGES,
    "appraisal:compute": EVERYONE_405,
    "appraisal:publish": PUBLISHERS,
    "appraisal:survey_gap": EVERYONE_405,
    "appraisal:correction": COUNCIL_PAGES,
    "appraisal:correction_open": EVERYONE_405,
    "appraisal:correction_score": EVERYONE_405,
    "appraisal:correction_cancel": EVERYONE_405,
    "appraisal:job": COUNCIL_PAGES,
    "surveys:index": SURVEY_STAFF,
    "surveys:dashboard": SURVEY_STAFF,
    "surveys:tallies": SURVEY_STAFF,
    "surveys:upload_new": HOME_AFFAIRS,
    "surveys:upload": NOT_FOUND_FOR_HOME_AFFAIRS,
    "surveys:upload_progress": NOT_FOUND_FOR_HOME_AFFAIRS,
    "surveys:upload_confirm": EVERYONE_405,
    "surveys:upload_cancel": EVERYONE_405,
    "surveys:questionnaire": HOME_AFFAIRS,
    "surveys:groups_edit": HOME_AFFAIRS,
    "surveys:plan_edit": HOME_AFFAIRS,
    "surveys:scale_new": HOME_AFFAIRS,
    "surveys:scale_edit": HOME_AFFAIRS,
    "surveys:question_edit": HOME_AFFAIRS,
    "surveys:blank_ballot": HOME_AFFAIRS,
    "reports:documents": {PUBLISHED: EVERYONE, UNPUBLISHED: DECIDERS},
    "reports:annex": {PUBLISHED: EVERYONE, UNPUBLISHED: DECIDERS},
    "reports:summary": {PUBLISHED: EVERYONE, UNPUBLISHED: DECIDERS},
    "reports:report_pdf": {PUBLISHED: EVERYONE, UNPUBLISHED: DECIDERS},
    "reports:report_docx": {PUBLISHED: EVERYONE, UNPUBLISHED: DECIDERS},
    "reports:bundle": {PUBLISHED: BUNDLE, UNPUBLISHED: BUNDLE_DECIDERS},
    "reports:render": EVERYONE_405,
    "reports:job": DECIDERS,
    "audit_log": HOME_AFFAIRS,
    "audit_export": HOME_AFFAIRS,
    "audit_export_xlsx": HOME_AFFAIRS,
    "notifications:notices": statuses(LOGIN, 200, 200, 200, 200, 200, 200, 200),
    "notifications:outbox": HOME_AFFAIRS,
    "notifications:open": UNIT_POST,
    "notifications:read_all": UNIT_POST,
    "accounts:activate_code": EVERYONE,
    "accounts:activate": EVERYONE,
    "accounts:first_password": statuses(LOGIN, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset": EVERYONE,
    "accounts:password_reset_done": EVERYONE,
    "accounts:password_reset_confirm": EVERYONE,
    "accounts:password_reset_complete": EVERYONE,
    "accounts:password_change": statuses(LOGIN, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_change_done": statuses(LOGIN, 200, 200, 200, 200, 200, 200, 200),
    "login": EVERYONE,
    "logout": EVERYONE_405,
}


def cases():
    for name, expected in MATRIX.items():
        by_year = expected if PUBLISHED in expected else {PUBLISHED: expected}
        years = by_year if "{year}" in SAMPLES[name] else {PUBLISHED: by_year[PUBLISHED]}
        for year, row in years.items():
            yield pytest.param(name, year, row, id=f"{name}-{year}")


def test_every_url_pattern_has_an_entry():
    names = [name for name, _pattern in walk(get_resolver())]

    assert sorted(names) == sorted(MATRIX)
    assert sorted(SAMPLES) == sorted(MATRIX)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "year", "expected"), list(cases()))
def test_every_role_gets_its_status(demo, name, year, expected):
    url = sample_url(name, demo, year)
    got = {role: client_for(role).get(url).status_code for role in ROLES}

    wrong = {
        role: (got[role], want)
        for role, want in expected.items()
        if got[role] not in (want if isinstance(want, set) else {want})
    }
    assert not wrong, f"{url}: role → (got, expected) {wrong}"


@pytest.mark.django_db
def test_signed_in_answers_are_never_stored_and_every_answer_has_a_permissions_policy(demo):
    council = client_for("council")
    for url in ("/", "/ket-qua/2026/", "/api/years/2026/results", "/tu-danh-gia/tep/{}/"):
        response = council.get(url.format(demo["file_other"]))
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert "camera=()" in response["Permissions-Policy"], url
    public = client_for("anonymous").get("/ket-qua/2025/")
    assert "no-store" not in public.get("Cache-Control", "")
    assert "geolocation=()" in public["Permissions-Policy"]
