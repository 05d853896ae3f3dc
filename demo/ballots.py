"""The demo's ballots, in the counts of DOMAIN §3, and the survey tallies they give."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from appraisal import scoring
from criteria.models import Year
from surveys.models import Answer, Ballot

from .province import BALLOT_PLAN, UNIT_BY_KEY, UNITS, Target

ZERO = Decimal(0)


def pick_option(rng: random.Random, mean: float) -> str:
    if rng.random() < 0.03:
        return "E"  # không biết: not counted
    x = rng.gauss(mean, 0.13)
    if x >= 0.875:
        return "A"
    if x >= 0.625:
        return "B"
    if x >= 0.25:
        return "C"
    return "D"


def create_ballots(year: Year, structure: dict, groups, options, targets: dict[str, Target]):
    """Ballots in the counts of DOMAIN §3; returns the engine's tallies per unit key."""
    rng = random.Random(f"ballots-{year.year}")
    coefficients = {
        scale: {code: (option.coefficient, option.counted) for code, option in by_code.items()}
        for scale, by_code in options.items()
    }
    tallies: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [ZERO, 0]))
    ballots: list[Ballot] = []
    answers: list[
        tuple[int, str, str, str, str]
    ] = []  # ballot index, unit key, leaf, scale, option
    for block_code, plan in BALLOT_PLAN.items():
        units = [u for u in UNITS if u.code[0] == block_code]
        # A respondent's mood: the probability behind the random answers, never a score
        # (the survey points are then computed exactly, in Decimal, by the engine).
        satisfaction = {
            u.key: float(targets[u.key].index) / 100 + rng.uniform(-0.02, 0.015) for u in units
        }
        criteria = structure["criteria"][block_code]
        organisation_leaves = [
            c.code
            for c in criteria.values()
            if c.method == "survey" and c.code.split(".")[1] == "1"
        ]
        citizen_leaves = [
            c.code
            for c in criteria.values()
            if c.method == "survey" and c.code.split(".")[1] == "2"
        ]
        for group_code, count in plan.items():
            for number in range(1, count + 1):
                ballots.append(
                    Ballot(
                        year=year,
                        code=f"{year.year}-{block_code}-{group_code}-{number:04d}",
                        group=groups[group_code],
                    )
                )
                index = len(ballots) - 1
                if group_code == "nguoi_dan":
                    # A citizen rates the one unit whose service they used.
                    rated, leaves, scale = [units[number % len(units)]], citizen_leaves, "hai_long"
                else:
                    # A delegate or leader rates every unit of the block.
                    rated, leaves, scale = units, organisation_leaves, "muc_do"
                for unit in rated:
                    for leaf in leaves:
                        option = pick_option(rng, satisfaction[unit.key])
                        answers.append((index, unit.key, leaf, scale, option))
                        coefficient, counted = coefficients[scale][option]
                        if counted:
                            tally = tallies[unit.key][leaf]
                            tally[0] += coefficient
                            tally[1] += 1
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    ballot_ids = list(Ballot.objects.filter(year=year).order_by("id").values_list("id", flat=True))
    participations = structure["participations"]
    criterion_ids = {
        (block, code): c.pk
        for block, by_code in structure["criteria"].items()
        for code, c in by_code.items()
    }
    Answer.objects.bulk_create(
        (
            Answer(
                ballot_id=ballot_ids[index],
                participation=participations[key],
                criterion_id=criterion_ids[(UNIT_BY_KEY[key].code[0], leaf)],
                option=options[scale][option],
            )
            for index, key, leaf, scale, option in answers
        ),
        batch_size=5000,
    )
    return {
        key: {leaf: scoring.SurveyTally(total, count) for leaf, (total, count) in leaves.items()}
        for key, leaves in tallies.items()
    }
