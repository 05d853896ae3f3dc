"""People sheets built in memory, and the admin's import posted as a browser would."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from accounts.services.people import COLUMNS

IMPORT_URL = "/quan-tri/accounts/account/import/"
CONFIRM_URL = "/quan-tri/accounts/account/process_import/"
EXPORT_URL = "/quan-tri/accounts/account/export/"
CHANGELIST_URL = "/quan-tri/accounts/account/"


def sheet(rows: list[dict], columns=COLUMNS) -> io.BytesIO:
    """One worksheet, row 1 the column names; each row a dict by column name."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(list(columns))
    for row in rows:
        worksheet.append([row.get(column, "") for column in columns])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "can-bo.xlsx"
    return data


def rows_of(content: bytes) -> list[list]:
    worksheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


def preview(client, rows_or_file):
    upload = rows_or_file if hasattr(rows_or_file, "read") else sheet(rows_or_file)
    return client.post(IMPORT_URL, {"import_file": upload, "format": "0", "resource": "0"})


def confirm(client, preview_response):
    """Post the preview's confirm form, as its button does."""
    form = preview_response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(CONFIRM_URL, data)
