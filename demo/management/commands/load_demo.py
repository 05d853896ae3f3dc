from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from appraisal.services.assignments import demo_assignments_create
from appraisal.services.compute import results_compute
from criteria.models import Year
from demo.build import YearPlan, build_assessed_year, year_name
from demo.haiphong.build import PLAN_2025, build_2025, build_2026
from demo.province import BALLOT_PLAN, TARGETS_2021, TARGETS_2022
from demo.users import DEMO_PASSWORD, demo_logins, demo_users_create
from exchange.workbook import year_data_delete
from reports.jobs import render_start
from surveys.questionnaire import survey_plan_save

PLANS = [
    YearPlan(
        2021,
        TARGETS_2021,
        (date(2021, 12, 25), date(2022, 1, 10)),
        (date(2022, 1, 11), date(2022, 1, 16)),
        date(2022, 3, 9),
    ),
    YearPlan(
        2022,
        TARGETS_2022,
        (date(2022, 12, 25), date(2023, 1, 10)),
        (date(2023, 1, 11), date(2023, 1, 16)),
        date(2023, 3, 1),
    ),
]
# Hải Phòng since the 2025 reform (DOMAIN §8): it plans its own survey when it is built.
CITY_PLANS = [PLAN_2025]
YEAR_IN_PROGRESS = 2026
# The old demo's year in progress (Hải Dương's 2023): removed when the demo is loaded
# again, known by the name the old demo gave it, so that no year of anyone else's goes.
RETIRED_YEARS = {2023: year_name(2023)}


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu thành phố Hải Phòng: năm 2025 đã công bố, năm 2026 đang tự đánh "
        "giá; lịch sử tỉnh Hải Dương (năm 2021 và 2022 đã công bố) trước khi hợp nhất; và tài "
        "khoản mẫu cho mọi vai trò. Chạy lại nhiều lần cho cùng kết quả; "
        "mỗi lần chạy (trừ --logins-only) đặt lại mật khẩu các tài khoản mẫu."
    )

    def add_arguments(self, parser):
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--reset", action="store_true", help="xóa và nạp lại các năm mẫu")
        what.add_argument(
            "--logins-only",
            action="store_true",
            help="chỉ in danh sách tài khoản mẫu; không thay đổi gì (mật khẩu, phiên đăng nhập)",
        )
        what.add_argument(
            "--reset-passwords",
            action="store_true",
            help=f"tạo lại các tài khoản mẫu và đặt lại mật khẩu về '{DEMO_PASSWORD}', không "
            "nạp lại các năm; mọi người dùng mẫu bị đăng xuất khỏi mọi phiên",
        )

    def handle(self, *args, reset, logins_only, reset_passwords, **options):
        if logins_only:
            self.print_logins(demo_logins())
            self.stdout.write(
                "  (mật khẩu đặt khi nạp dữ liệu mẫu; đặt lại: load_demo --reset-passwords)"
            )
            return
        if not reset_passwords:
            self.load(reset=reset)
        logins = demo_users_create()
        in_progress = Year.objects.filter(year=YEAR_IN_PROGRESS).first()
        if in_progress is not None:
            demo_assignments_create(in_progress)
        self.print_logins(logins)

    def load(self, *, reset: bool) -> None:
        years = [plan.year for plan in PLANS + CITY_PLANS] + [YEAR_IN_PROGRESS]
        existing = set(Year.objects.filter(year__in=years).values_list("year", flat=True))
        retired = [
            year
            for year in Year.objects.filter(year__in=RETIRED_YEARS)
            if year.name == RETIRED_YEARS[year.year]
        ]
        if existing == set(years) and not retired and not reset:
            self.stdout.write("Dữ liệu mẫu đã có (dùng --reset để nạp lại).")
            return
        for year in [*Year.objects.filter(year__in=years), *retired]:
            year_data_delete(year=year)
        for plan in PLANS + CITY_PLANS:
            if plan in CITY_PLANS:
                year = build_2025(plan)
            else:
                year = build_assessed_year(plan)
                survey_plan_save(year=year, plan=BALLOT_PLAN, one_unit_groups={"nguoi_dan"})
            results_compute(year=year)
            with transaction.atomic():
                year.status = Year.Status.PUBLISHED
                year.published_on = plan.published_on
                year.save(update_fields=["status", "published_on"])
            self.stdout.write(f"Năm {plan.year}: đã nạp, tính chỉ số và công bố.")
            if settings.PARINDEX_RENDER_ON_PUBLISH:
                # As a publication does: the published documents, for visitors to download.
                render_start(year=year)
                self.stdout.write(f"Năm {plan.year}: đã gửi kết xuất tài liệu.")
        build_2026(timezone.localdate())
        self.stdout.write(f"Năm {YEAR_IN_PROGRESS}: đang trong thời gian tự đánh giá.")

    def print_logins(self, rows) -> None:
        self.stdout.write(f"\nTài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, role, unit in rows:
            self.stdout.write(f"  {username:<17} {role} – {unit}")
