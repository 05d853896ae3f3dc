"""What every app shares: background jobs, the audit trail, the locked-down PDF fetcher,
spreadsheet helpers and unit-code ordering. It imports no app of the project."""
