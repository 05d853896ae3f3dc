"""How many counted SIPAS answers each unit gets, and their coefficient sum, so that the
engine's satisfaction index (appraisal/sipas.py) gives DOMAIN §8's figures exactly.

A citizen's answer weighs 1, 0,75, 0,5 or 0: a coefficient sum is a whole number of
quarters, and an index is 25 × quarters / answers. Integer arithmetic all the way: the
city's and each block's totals are chosen first (pooled indices weigh units by their
answers), then every unit's count and sum, one unit per block taking what the block's
total leaves.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from appraisal.scoring import percent

from .units import (
    SIPAS_BLOCKS,
    SIPAS_CITY,
    SIPAS_FIRSTS,
    SIPAS_PUBLISHED,
    UNITS,
)

CENT = Decimal("0.01")
# Citizens' answers per unit, by block: the departments serve the whole city.
BASE_ANSWERS = {"S": 550, "P": 150, "X": 130}


@dataclass(frozen=True)
class UnitSatisfaction:
    quarters: int  # coefficient sum × 4
    counted: int

    @property
    def index(self) -> Decimal:
        return percent(Decimal(self.quarters) / 4, Decimal(self.counted))


def shown(quarters: int, counted: int) -> Decimal:
    return percent(Decimal(quarters) / 4, Decimal(counted)).quantize(CENT, ROUND_HALF_UP)


def quarters_for(target: Decimal, counted: int) -> int:
    return int((target * counted / 25).quantize(Decimal(1), ROUND_HALF_UP))


def exact(target: Decimal, base: int) -> UnitSatisfaction:
    """The smallest count from `base` whose nearest sum shows `target` to two decimals."""
    for counted in range(base, base + 2000):
        quarters = quarters_for(target, counted)
        if shown(quarters, counted) == target:
            return UnitSatisfaction(quarters, counted)
    raise ValueError(f"demo: no SIPAS count near {base} gives {target}")


def _block_totals(counts: dict[str, int]) -> dict[str, UnitSatisfaction]:
    """Each block's (quarters, answers), moving the departments' count until the city's
    pooled index shows too."""
    for step in range(0, 400):
        for shift in (step, -step):
            totals = {}
            for block, target in SIPAS_BLOCKS.items():
                counted = counts[block] + (shift if block == "S" else 0)
                totals[block] = exact(target, counted)
            quarters = sum(total.quarters for total in totals.values())
            counted = sum(total.counted for total in totals.values())
            if shown(quarters, counted) == SIPAS_CITY:
                return totals
    raise ValueError("demo: no block totals give the city's SIPAS index")


def plan() -> dict[str, UnitSatisfaction]:
    """Unit code → its counted SIPAS answers and their coefficient sum."""
    rng = random.Random("sipas-2025")
    key_to_code = {unit.key: unit.code for unit in UNITS}
    targets: dict[str, Decimal] = {}
    bases: dict[str, int] = {}
    pinned: dict[str, list[str]] = {}
    order: dict[str, list[str]] = {}
    for block, firsts in SIPAS_FIRSTS.items():
        codes = [unit.code for unit in UNITS if unit.block == block]
        first_codes = [key_to_code.get(key, key) for key in firsts]
        pinned[block] = first_codes
        top = SIPAS_PUBLISHED[firsts[0]]
        # The published first, then the named runners-up a little below, in order.
        for position, code in enumerate(first_codes):
            targets[code] = SIPAS_PUBLISHED.get(firsts[position]) or (
                top - Decimal("0.55") * position
            )
        others = [code for code in codes if code not in first_codes]
        rng.shuffle(others)
        order[block] = others
        for code in codes:
            bases[code] = BASE_ANSWERS[block] + rng.randint(-20, 20) * BASE_ANSWERS[block] // 100
    totals = _block_totals(
        {block: sum(bases[u.code] for u in UNITS if u.block == block) for block in SIPAS_BLOCKS}
    )
    result: dict[str, UnitSatisfaction] = {}
    for block, total in totals.items():
        codes = [unit.code for unit in UNITS if unit.block == block]
        for code in pinned[block]:
            result[code] = exact(targets[code], bases[code])
        others = order[block]
        # The others share what the block's totals leave: the answers evenly, and indices
        # falling evenly from just below the last named one, at the slope that gives their
        # sum; the middle one takes the last quarters.
        counted_left = total.counted - sum(result[c].counted for c in pinned[block])
        quarters_left = total.quarters - sum(result[c].quarters for c in pinned[block])
        spare = counted_left - sum(bases[c] for c in others)
        for position, code in enumerate(others):
            bases[code] += spare // len(others) + (1 if position < spare % len(others) else 0)
        ceiling = result[pinned[block][-1]].index - Decimal("0.3")
        mean = Decimal(25 * quarters_left) / counted_left
        slope = (
            (ceiling - mean)
            * counted_left
            / sum((bases[c] * position for position, c in enumerate(others)), Decimal(0))
        )
        for position, code in enumerate(others):
            targets[code] = ceiling - slope * position
        balancing = others[len(others) // 2]
        for code in others:
            if code != balancing:
                result[code] = UnitSatisfaction(
                    quarters_for(targets[code], bases[code]), bases[code]
                )
        result[balancing] = UnitSatisfaction(
            quarters_left - sum(result[c].quarters for c in others if c != balancing),
            bases[balancing],
        )
        runner_up = result[pinned[block][-1]].index
        if any(
            not 0 <= result[c].quarters <= 4 * result[c].counted or result[c].index >= runner_up
            for c in others
        ):
            raise ValueError(f"demo: block {block}'s SIPAS figures cannot be planned")
    return result
