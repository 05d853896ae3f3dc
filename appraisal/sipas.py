"""The satisfaction index (SIPAS, DOMAIN §8) as pure functions.

    index = 100 × Σ coefficient / number of counted answers

over a unit's counted answers to the questions marked SIPAS (DOMAIN §4's formula as a
percentage). Units are ranked per block like the PAR Index (competition ties, full
precision); a block's and the province's index are pooled over all their counted answers,
so a unit weighs by its answers, not one unit one vote.

The 95 % interval uses the method of `surveys/confidence.py`: ballots are the sampled units
(one ballot answers several SIPAS questions, so its answers are not independent), the ratio
is linearised (Taylor), and each respondent group is a stratum sampled with replacement:

    z_b = 100 × (s_b − R × c_b) / C,    R = S / C
    Var = Σ_group n_g / (n_g − 1) × Σ_{b in g} (z_b − z̄_g)²

(s_b, c_b: a ballot's coefficient sum and counted answers; S, C their totals). Unlike
`surveys/confidence.py`, a group's sample is the ballots that answered about the unit (for
a pooled index: about some unit of the block or province): SIPAS ballots are collected per
unit, so a unit's sample size is fixed by the plan. The interval is index ± 1,96 × √Var,
clipped to [0, 100]; a group of one ballot adds no variance, as there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from appraisal.scoring import (
    HUNDRED,
    INDEX_QUANTUM,
    ZERO,
    competition_ranks,
    display,
    percent,
)
from kernel.ordering import unit_code_key

Z95 = Decimal("1.96")  # as surveys/confidence.py


@dataclass(frozen=True)
class BallotTally:
    """One ballot's counted SIPAS answers about one unit."""

    ballot: Hashable
    group: Hashable
    coefficient_sum: Decimal
    counted: int

    def __post_init__(self):
        if self.counted < 0 or not ZERO <= self.coefficient_sum <= self.counted:
            raise ValueError(
                f"Phiếu {self.ballot}: tổng hệ số {self.coefficient_sum} phải nằm trong "
                f"[0, số câu trả lời được tính = {self.counted}]."
            )


@dataclass(frozen=True)
class SipasInput:
    code: str
    ballots: tuple[BallotTally, ...] = ()


@dataclass(frozen=True)
class SipasIndex:
    index: Decimal  # percent, full precision
    coefficient_sum: Decimal
    counted: int
    ballots: int
    std_error: Decimal
    low: Decimal
    high: Decimal

    def ci95(self) -> tuple[str, str]:
        return display(self.low, 2), display(self.high, 2)


@dataclass(frozen=True)
class SipasUnit:
    code: str
    sipas: SipasIndex | None  # None: no counted SIPAS answer
    rank: int | None

    def document(self) -> dict | None:
        """The `sipas` field of the results document (INTERFACES §4)."""
        if self.sipas is None:
            return None
        return {
            "index": display(self.sipas.index, 2),
            "rank": self.rank,
            "counted": self.sipas.counted,
            "ci95": list(self.sipas.ci95()),
        }


@dataclass(frozen=True)
class SipasBlock:
    code: str
    units: tuple[SipasUnit, ...]  # by rank, then code; units without answers last, by code
    pooled: SipasIndex | None


@dataclass(frozen=True)
class SipasYear:
    blocks: tuple[SipasBlock, ...]
    pooled: SipasIndex | None  # the province's index


def _per_ballot(tallies: Iterable[BallotTally]) -> dict[Hashable, tuple[Hashable, Decimal, int]]:
    """Ballot → (group, coefficient sum, counted): a ballot rating several units is one
    sampled ballot in a pooled index."""
    merged: dict[Hashable, tuple[Hashable, Decimal, int]] = {}
    for tally in tallies:
        if tally.counted == 0:
            continue
        group, total, counted = merged.get(tally.ballot, (tally.group, ZERO, 0))
        if group != tally.group:
            raise ValueError(
                f"Phiếu {tally.ballot} được ghi cho hai nhóm đối tượng ({group}, {tally.group})."
            )
        merged[tally.ballot] = (group, total + tally.coefficient_sum, counted + tally.counted)
    return merged


def _variance(ballots: Mapping[Hashable, tuple[Hashable, Decimal, int]], total, counted):
    """Var of the index in exact sums: with e_b = s_b × C − S × c_b, z_b = 100 × e_b / C²,
    so that neither the order of the ballots nor of the groups moves a digit."""
    sums: dict[Hashable, Decimal] = defaultdict(Decimal)
    squares: dict[Hashable, Decimal] = defaultdict(Decimal)
    sizes: dict[Hashable, int] = defaultdict(int)
    for group, ballot_total, answers in ballots.values():
        e = ballot_total * counted - total * answers
        sums[group] += e
        squares[group] += e * e
        sizes[group] += 1
    spread = ZERO  # Σ_g n_g / (n_g − 1) × Σ_b (e_b − ē_g)²
    for group in sorted(sizes, key=repr):
        n = sizes[group]
        if n > 1:
            spread += (n * squares[group] - sums[group] ** 2) / (n - 1)
    return max(spread, ZERO) * (HUNDRED / (counted * counted)) ** 2


def sipas_index(tallies: Iterable[BallotTally]) -> SipasIndex | None:
    """The index of some counted answers with its 95 % interval; None when there are none."""
    ballots = _per_ballot(tallies)
    coefficient_sum = sum((total for _g, total, _c in ballots.values()), ZERO)
    counted = sum(answers for _g, _t, answers in ballots.values())
    if counted == 0:
        return None
    index = percent(coefficient_sum, Decimal(counted))
    with localcontext() as ctx:
        ctx.prec = 50  # the sums of squares stay exact up to millions of answers
        variance = _variance(ballots, coefficient_sum, Decimal(counted))
        std_error = variance.sqrt().quantize(INDEX_QUANTUM, rounding=ROUND_HALF_UP)
        margin = Z95 * std_error
        return SipasIndex(
            index=index,
            coefficient_sum=coefficient_sum,
            counted=counted,
            ballots=len(ballots),
            std_error=std_error,
            low=max(ZERO, index - margin),
            high=min(HUNDRED, index + margin),
        )


def sipas_block(code: str, units: Iterable[SipasInput]) -> SipasBlock:
    """Every unit's index, its rank in the block (DOMAIN §5's competition rule) and the
    block's pooled index."""
    units = list(units)
    indices = {unit.code: sipas_index(unit.ballots) for unit in units}
    ranks = competition_ranks({c: i.index for c, i in indices.items() if i is not None})
    ranked = sorted(
        (SipasUnit(c, i, ranks.get(c)) for c, i in indices.items()),
        key=lambda u: (u.rank is None, u.rank or 0, unit_code_key(u.code)),
    )
    pooled = sipas_index(tally for unit in units for tally in unit.ballots)
    return SipasBlock(code=code, units=tuple(ranked), pooled=pooled)


def sipas_year(blocks: Mapping[str, Iterable[SipasInput]]) -> SipasYear:
    """Block code → its units' SIPAS tallies, to each block's results and the province's
    index pooled over every counted answer of every block."""
    inputs = {code: list(units) for code, units in blocks.items()}
    return SipasYear(
        blocks=tuple(sipas_block(code, units) for code, units in inputs.items()),
        pooled=sipas_index(
            tally for units in inputs.values() for unit in units for tally in unit.ballots
        ),
    )
