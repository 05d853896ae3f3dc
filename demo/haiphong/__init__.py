"""The demo city since the 2025 reform: Hải Phòng, its 2025 record (DOMAIN §8) and 2026.

units.py         blocks, the 14 departments and 113 communes, wards and đặc khu, their
                 2025 targets (PAR Index and SIPAS) and lineage
trees.py         the commune criteria set (the departments keep demo/trees.py's)
satisfaction.py  the SIPAS answer counts and coefficient sums that give the record exactly
ballots.py       the 2025 ballots: citizens' SIPAS ballots per unit, organisations' ballots
build.py         2025 assessed and 2026 in progress
"""
