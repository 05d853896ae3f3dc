"""The year's exchange formats: the year workbook (INTERFACES.md §2) and the year archive
(docs/BACKUP.md), with their commands. A tool around the flow, not a step of it."""
