"""Sở Nội vụ's pages over a year's own data: the criteria tree editor (tree.py) and the
per-unit extensions of a window (extensions.py)."""
