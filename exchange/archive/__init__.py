"""One assessment year as one archive, to move it between installations (issue 6).

    archive_export(year, path)              → ArchiveSummary
    archive_import(path, *, replace=False)  → ImportSummary

The archive is a zip: `manifest.json` (format, year, every other member's SHA-256 and size),
`year.xlsx` (the year workbook, written by the year workbook export), `results.json` (the
results document, when the year has results; the manifest's `stored_results` holds the
stored figures beyond it at full precision), `evidence.json` (what each evidence file
belongs to) and the files themselves as `evidence/<n>.<kind>`.

Import checks the whole archive first (member names, sizes, every checksum, the workbook,
the evidence metadata) and writes nothing until everything passed; then one transaction
imports the workbook, re-creates the files and their links, recomputes the results and
compares them with `results.json`. Files copied into MEDIA_ROOT are removed again if
anything fails.

    format.py    member names, limits, checksums
    export.py    archive_export
    verify.py    archive_verify and every check made before anything is written
    evidence.py  evidence.json checked: the files and explanations to re-create
    load.py      archive_import: the one transaction, and the results comparison
    stored.py    the stored results beyond results.json (DOMAIN §8), in the manifest
"""

from .export import ArchiveSummary, archive_export
from .format import EVIDENCE, FORMAT, FORMAT_VERSION, MANIFEST, RESULTS, WORKBOOK
from .load import ImportSummary, archive_import
from .verify import archive_verify

__all__ = [
    "EVIDENCE",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "RESULTS",
    "WORKBOOK",
    "ArchiveSummary",
    "ImportSummary",
    "archive_export",
    "archive_import",
    "archive_verify",
]
