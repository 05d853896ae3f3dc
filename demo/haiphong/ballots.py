"""Hải Phòng's 2025 ballots: the organisations rate every unit of a block, citizens the
one unit whose service they used, on the five SIPAS questions, in the counts and
coefficient sums of satisfaction.py. Returns the engine's tallies per unit key."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from appraisal import scoring
from criteria.models import Year
from surveys.models import Answer, Ballot

from ..ballots import pick_option
from ..province import Target
from .satisfaction import UnitSatisfaction, plan
from .units import ORGANISATION_PLAN, UNITS

QUARTERS = {"A": 4, "B": 3, "C": 2, "D": 0}  # the citizens' scale, in quarters


def citizen_options(satisfaction: UnitSatisfaction, rng: random.Random) -> list[str]:
    """`counted` options whose quarters add up to `quarters`: all 'Rất hài lòng' first,
    then lowered one answer at a time, mostly by a step, now and then further."""
    values = [4] * satisfaction.counted
    deficit = 4 * satisfaction.counted - satisfaction.quarters
    while deficit > 0:
        i = rng.randrange(len(values))
        roll = rng.random()
        if values[i] == 4 and roll < 0.75:
            values[i], deficit = 3, deficit - 1
        elif values[i] == 4 and deficit >= 2 and roll < 0.92:
            values[i], deficit = 2, deficit - 2
        elif values[i] == 4 and deficit >= 4:
            values[i], deficit = 0, deficit - 4
        elif values[i] == 3 and roll < 0.2:
            values[i], deficit = 2, deficit - 1
    by_value = {value: code for code, value in QUARTERS.items()}
    return [by_value[value] for value in values]


def create_ballots(year: Year, structure: dict, groups, options, targets: dict[str, Target]):
    rng = random.Random(f"ballots-{year.year}")
    satisfaction = plan()
    coefficients = {
        scale: {code: (option.coefficient, option.counted) for code, option in by_code.items()}
        for scale, by_code in options.items()
    }
    ballots: list[Ballot] = []
    answers: list[tuple[int, str, str, str, str]] = []  # ballot, unit key, leaf, scale, option
    citizens_per_block: dict[str, int] = defaultdict(int)
    for block_code, criteria in structure["criteria"].items():
        units = [u for u in UNITS if u.block == block_code]
        survey = [c.code for c in criteria.values() if c.method == "survey"]
        organisation_leaves = [code for code in survey if code.split(".")[1] == "1"]
        citizen_leaves = [code for code in survey if code.split(".")[1] == "2"]
        # The probability behind the random answers, never a score (the engine computes the
        # points from the answers in Decimal).
        mood = {u.key: float(targets[u.key].index) / 100 + rng.uniform(-0.02, 0.015) for u in units}
        for group_code, count in ORGANISATION_PLAN[block_code].items():
            for number in range(1, count + 1):
                code = f"{year.year}-{block_code}-{group_code}-{number:04d}"
                ballots.append(Ballot(year=year, code=code, group=groups[group_code]))
                for unit in units:
                    for leaf in organisation_leaves:
                        option = pick_option(rng, mood[unit.key])
                        answers.append((len(ballots) - 1, unit.key, leaf, "muc_do", option))
        for unit in units:
            wanted = satisfaction[unit.code]
            counted = citizen_options(wanted, rng)
            # A few answers are 'không trả lời' (not counted); ballots of five answers.
            slots = -(-len(counted) // len(citizen_leaves)) + max(1, len(counted) // 60)
            chosen = counted + ["E"] * (slots * len(citizen_leaves) - len(counted))
            rng.shuffle(chosen)
            for number in range(slots):
                citizens_per_block[block_code] += 1
                code = f"{year.year}-{block_code}-nguoi_dan-{citizens_per_block[block_code]:05d}"
                ballots.append(Ballot(year=year, code=code, group=groups["nguoi_dan"]))
                for position, leaf in enumerate(citizen_leaves):
                    option = chosen[number * len(citizen_leaves) + position]
                    answers.append((len(ballots) - 1, unit.key, leaf, "hai_long", option))
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    ballot_ids = list(Ballot.objects.filter(year=year).order_by("id").values_list("id", flat=True))
    participations = structure["participations"]
    criterion_ids = {
        (block, code): c.pk
        for block, by_code in structure["criteria"].items()
        for code, c in by_code.items()
    }
    blocks = {unit.key: unit.block for unit in UNITS}
    tallies: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [Decimal(0), 0]))
    rows = []
    for index, key, leaf, scale, option in answers:
        rows.append(
            Answer(
                ballot_id=ballot_ids[index],
                participation=participations[key],
                criterion_id=criterion_ids[(blocks[key], leaf)],
                option=options[scale][option],
            )
        )
        coefficient, is_counted = coefficients[scale][option]
        if is_counted:
            tally = tallies[key][leaf]
            tally[0] += coefficient
            tally[1] += 1
    Answer.objects.bulk_create(rows, batch_size=5000)
    plan_counts = {
        block: ORGANISATION_PLAN[block] | {"nguoi_dan": citizens}
        for block, citizens in citizens_per_block.items()
    }
    return plan_counts, {
        key: {leaf: scoring.SurveyTally(total, count) for leaf, (total, count) in leaves.items()}
        for key, leaves in tallies.items()
    }
