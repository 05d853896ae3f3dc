"""What stands between a year and its publication (DOMAIN §9): pure functions over the
engine's inputs, so the rule is tested without a database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from appraisal.scoring import ADJUSTMENTS, SURVEY, CriteriaSet, LeafEntry, SurveyTally, UnitInput

UNAPPRAISED = "unappraised"
NOT_APPLICABLE_UNDECIDED = "not_applicable_undecided"
NO_SURVEY_ANSWER = "no_survey_answer"

GAP_WORDS = {
    UNAPPRAISED: "chưa có điểm thẩm định",
    NOT_APPLICABLE_UNDECIDED: "đề nghị không áp dụng chưa được quyết định",
    NO_SURVEY_ANSWER: "không có phiếu điều tra hợp lệ, chưa được Hội đồng ghi nhận",
}


@dataclass(frozen=True)
class LeafGap:
    unit: str
    leaf: str
    kind: str

    @property
    def words(self) -> str:
        return GAP_WORDS[self.kind]


def unit_gaps(
    criteria: CriteriaSet,
    unit: UnitInput,
    *,
    requested_not_applicable: Iterable[str] = (),
    acknowledged: Iterable[str] = (),
) -> list[LeafGap]:
    """The leaves of one unit that keep the year from being published, in tree order.

    An evidence leaf needs an appraised score or value, or an approved not-applicable
    decision; a deduction leaf with nothing recorded deducts nothing and is complete. A
    survey leaf needs a counted answer, or the council's acknowledgement that it has none.
    """
    requested, acknowledged = set(requested_not_applicable), set(acknowledged)
    gaps = []
    for leaf in criteria.leaves:
        if leaf.method == SURVEY:
            if unit.tallies.get(leaf.code, SurveyTally()).counted == 0:
                if leaf.code not in acknowledged:
                    gaps.append(LeafGap(unit.code, leaf.code, NO_SURVEY_ANSWER))
            continue
        entry = unit.entries.get(leaf.code, LeafEntry())
        appraised = entry.appraised_score is not None or entry.appraised_value is not None
        if entry.not_applicable or appraised:
            continue
        if leaf.code in requested:
            gaps.append(LeafGap(unit.code, leaf.code, NOT_APPLICABLE_UNDECIDED))
        elif leaf.kind not in ADJUSTMENTS:
            gaps.append(LeafGap(unit.code, leaf.code, UNAPPRAISED))
    return gaps
