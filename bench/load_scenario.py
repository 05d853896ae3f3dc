"""The deadline load's year (bench/deadline_load.py): a year in self-assessment with units in
two blocks, criteria trees of the bench workbook's shape, and one unit officer per unit with
their own login. Built with the ORM, in the database the caller's Django points at.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from .load_client import Account, Leaf

YEAR = 2031
PASSWORD = "parindex-load-test"


@dataclass
class Scenario:
    year: int
    password: str
    accounts: list[Account]


def scenario_build(*, users: int, year: int = YEAR, seed: int = YEAR) -> Scenario:
    """A year in self-assessment with `users` units in two blocks, one officer each."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
    from django.utils import timezone

    from criteria.models import Participation, Year
    from units.models import Block, Membership, Unit

    rng = random.Random(seed)
    now = timezone.now()
    year_row = Year.objects.create(
        year=year,
        name=f"Chỉ số cải cách hành chính năm {year}",
        status=Year.Status.SELF_ASSESSMENT,
        self_assessment_opens=now - timedelta(days=20),
        self_assessment_closes=now + timedelta(days=1),
    )
    # gunicorn runs the production settings (Argon2); a pytest driver hashes with MD5.
    password_hash = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    blocks = {
        "A": ("Sở, ban, ngành tỉnh", "Sở", math.ceil(users * 0.6)),
        "B": ("UBND cấp huyện", "UBND huyện", users - math.ceil(users * 0.6)),
    }
    accounts = []
    for block_code, (block_name, prefix, count) in blocks.items():
        block, _ = Block.objects.get_or_create(code=block_code, defaults={"name": block_name})
        leaves = tuple(_tree(year_row, block, rng))
        for n in range(1, count + 1):
            code = f"{block_code}{n:02d}"
            unit, _ = Unit.objects.get_or_create(
                code=f"T{code}", defaults={"name": f"{prefix} thử tải số {n}", "block": block}
            )
            Participation.objects.create(year=year_row, unit=unit, block=block, name=unit.name)
            user = get_user_model().objects.create(
                username=f"canbo.tai{code.lower()}",
                password=password_hash,
                first_name="Cán bộ",
                last_name=f"Đầu mối {code}",
            )
            Membership.objects.create(user=user, role=Membership.Role.UNIT_OFFICER, unit=unit)
            accounts.append(Account(user.username, unit.code, leaves))
    return Scenario(year=year, password=PASSWORD, accounts=accounts)


def _tree(year, block, rng: random.Random) -> list[Leaf]:
    """The shape of bench/workbook.py's trees: 7 evidence areas of criteria with 2–3
    sub-criteria (a rubric leaf, a deduction leaf), and a survey area; about 60 leaves."""
    from criteria.models import Criterion

    def node(code, parent, max_points=Decimal(0), method="", kind="normal", rubric=()):
        return Criterion.objects.create(
            year=year,
            block=block,
            code=code,
            parent=parent,
            name=f"Tiêu chí {code}",
            max_points=max_points,
            method=method,
            kind=kind,
            rubric=list(rubric),
            is_leaf=bool(method),
        )

    leaves = []
    evidence = Criterion.Method.EVIDENCE
    for area_number in range(1, 9):
        area = node(str(area_number), None)
        area_total = Decimal(0)
        for criterion_number in range(1, 3 if area_number == 8 else 4):
            code = f"{area_number}.{criterion_number}"
            criterion = node(code, area)
            total = Decimal(0)
            for leaf_number in range(1, (5 if area_number == 8 else rng.choice((2, 3))) + 1):
                leaf_code = f"{code}.{leaf_number}"
                if area_number == 8:
                    node(leaf_code, criterion, Decimal(1), Criterion.Method.SURVEY)
                    total += 1
                    continue
                if leaf_code == "2.1.1":
                    rubric = [["100", "1.5"], ["90", "1"], ["70", "0.5"], ["0", "0"]]
                    node(leaf_code, criterion, Decimal("1.5"), evidence, rubric=rubric)
                    total += Decimal("1.5")
                    continue
                maximum = rng.choice((Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2)))
                leaf = node(leaf_code, criterion, maximum, evidence)
                step = rng.choice((Decimal("0.125"), Decimal("0.25"), Decimal("0.5")))
                leaves.append(Leaf(leaf.pk, leaf_code, maximum, step))
                total += maximum
            criterion.max_points = total
            criterion.save(update_fields=["max_points"])
            area_total += total
        if area_number == 7:
            deduction = node("7.4", area, Decimal(1), evidence, kind="deduction")
            leaves.append(Leaf(deduction.pk, "7.4", Decimal(1), Decimal("0.25")))
        area.max_points = area_total
        area.save(update_fields=["max_points"])
    return leaves
