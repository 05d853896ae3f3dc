"""`make bench`: how long a year's import, compute and export take against a floor."""
