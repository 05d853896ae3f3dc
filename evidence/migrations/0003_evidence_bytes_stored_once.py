"""Identical evidence files stored once within a unit: rows of one unit with the same
SHA-256 and size (any year, any version) are pointed to one stored file, the oldest that is
still on disk. The copies left unnamed are listed (and deleted with --delete) by
`manage.py evidence_orphans`; this migration deletes nothing."""

from itertools import groupby

from django.db import migrations


def point_to_one_stored_file(apps, schema_editor):
    EvidenceFile = apps.get_model("evidence", "EvidenceFile")
    storage = EvidenceFile._meta.get_field("file").storage
    rows = (
        EvidenceFile.objects.exclude(file="")
        .order_by("participation__unit_id", "sha256", "size", "pk")
        .values_list("pk", "participation__unit_id", "sha256", "size", "file")
    )
    for _key, group in groupby(rows.iterator(), key=lambda row: row[1:4]):
        group = list(group)
        if len(group) < 2:
            continue
        kept = next((row[4] for row in group if storage.exists(row[4])), None)
        if kept is None:
            continue
        others = [row[0] for row in group if row[4] != kept]
        EvidenceFile.objects.filter(pk__in=others).update(file=kept)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_evidence_files_submission_delegation"),
    ]

    operations = [
        migrations.RunPython(point_to_one_stored_file, migrations.RunPython.noop),
    ]
