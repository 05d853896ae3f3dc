"""Deleting a year with everything of it; its files leave the disk only once the deletion
commits, so a failed import (rolled back) deletes nothing and a replace leaves no orphan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError

from criteria.models import Year
from evidence.models import EvidenceFile
from reports.models import RenderedFile
from surveys.models import Answer, Ballot, BallotUpload, Question

BATCH = 500


def year_data_delete(*, year: Year) -> None:
    """Delete a year and everything of it (`--replace`, the demo's reset), inside the
    caller's transaction; the files of its rows leave the disk only once that commits."""
    with transaction.atomic():
        files = _year_files(year)
        # Answers and questions hold protected keys to options, scales and groups: go first.
        Answer.objects.filter(ballot__year=year).delete()
        Ballot.objects.filter(year=year).delete()
        Question.objects.filter(criterion__year=year).delete()
        try:
            year.delete()
        except ProtectedError as error:
            raise ValidationError(
                f"Không thể thay thế năm {year.year}: dữ liệu khác còn tham chiếu đến năm này "
                f"({error.args[0]})"
            ) from None
        transaction.on_commit(lambda: _files_delete(files))


def _year_files(year: Year) -> list[tuple[type[models.Model], str]]:
    """Every stored file of the year's rows: evidence, rendered documents, ballot uploads."""
    return [
        (model, name)
        for model, rows in (
            (EvidenceFile, EvidenceFile.objects.filter(participation__year=year)),
            (RenderedFile, RenderedFile.objects.filter(year=year)),
            (BallotUpload, BallotUpload.objects.filter(year=year)),
        )
        for name in rows.exclude(file="").values_list("file", flat=True)
    ]


def _files_delete(files: list[tuple[type[models.Model], str]]) -> None:
    """After the delete committed: each file no row refers to any more leaves the disk."""
    for model in {model for model, _name in files}:
        names = [name for owner, name in files if owner is model]
        storage = model._meta.get_field("file").storage
        for start in range(0, len(names), BATCH):
            batch = names[start : start + BATCH]
            still = set(model.objects.filter(file__in=batch).values_list("file", flat=True))
            for name in batch:
                if name not in still:
                    storage.delete(name)
