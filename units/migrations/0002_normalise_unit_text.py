"""Unit, block and participation texts as every door now stores them (issue 13 item 4):
NFC (a name typed on a Mac arrives NFD and search misses it), no zero-width characters,
no-break spaces made plain, ends stripped. Criterion names too. Codes that would collide
once cleaned are left as they are (an officer resolves them in the admin)."""

import unicodedata

from django.db import migrations

# kernel.text.text_clean as of this migration, copied so that later changes to it do not
# change what this migration did.
INVISIBLE = {
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad")),
    **dict.fromkeys(map(ord, "\u00a0\u202f\u2007"), " "),
}


def clean(value: str) -> str:
    if value.isascii():
        return value.strip()
    return unicodedata.normalize("NFC", value.translate(INVISIBLE)).strip()


def normalise(model, fields, unique=None):
    taken = set(model.objects.values_list(unique, flat=True)) if unique else set()
    for row in model.objects.all().iterator():
        changed = []
        for field in fields:
            value = getattr(row, field)
            cleaned = clean(value)
            if cleaned == value:
                continue
            if field == unique:
                if cleaned in taken:
                    continue
                taken.discard(value)
                taken.add(cleaned)
            setattr(row, field, cleaned)
            changed.append(field)
        if changed:
            row.save(update_fields=changed)


def forwards(apps, schema_editor):
    normalise(apps.get_model("units", "Block"), ("code", "name"), unique="code")
    normalise(
        apps.get_model("units", "Unit"), ("code", "name", "head_title", "head_name"), unique="code"
    )
    normalise(apps.get_model("criteria", "Participation"), ("name", "head_title", "head_name"))
    normalise(apps.get_model("criteria", "Criterion"), ("name",))


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0001_initial"),
        ("criteria", "0002_year_explanation_window"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
