"""What a demo province is made of: the same builder serves Hải Dương (2021–2022) and Hải
Phòng (2025–2026)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .province import DemoUnit
from .trees import Node


@dataclass(frozen=True)
class DemoProvince:
    name: str
    blocks: dict[str, str]  # code → name
    block_kinds: dict[str, str]  # code → units.UnitKind value
    units: list[DemoUnit]
    groups: dict[str, str]  # respondent group code → name
    organisation_groups: dict[str, list[str]]  # block → groups rating its units
    tree_for: Callable[[str, int], list[Node]]  # (block, year) → criteria tree
    rules: dict[str, dict[str, str]] = field(default_factory=dict)  # block → BlockRules fields
    sipas: bool = False  # whether the citizens' questions are marked SIPAS (DOMAIN §8)

    def units_of(self, block: str) -> list[DemoUnit]:
        return [unit for unit in self.units if unit.block == block]
