"""Importing a ballots file in two steps: check (a dry run into a staging table), then import.

`ballot_upload_check` streams the file through the same `BallotChecker` as the year
workbook, stores every valid answer as a `StagedAnswer` (codes resolved to ids) and the
errors, counts and format on the `BallotUpload`; nothing reaches the year's ballots.
`ballot_upload_import` then writes in one transaction: new ballots with `bulk_create`,
answers with one INSERT … SELECT from the staging table, and the upload marked imported.
A worker killed in the middle leaves nothing; running it again (Celery redelivers with
`acks_late`) imports once, since an imported upload is a no-op and answers are unique by
(ballot, unit, criterion).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone

from criteria.models import Criterion, Participation, Year
from criteria.phase import year_lock_for_write, year_refuse_if_frozen
from kernel.jobs import job_fail_stale, job_progress
from kernel.models import Job

from .ballots import (
    STORED,
    AnswerRow,
    BallotChecker,
    answered_already,
    location,
    other_group,
    survey_codes_for_year,
)
from .models import (
    Answer,
    Ballot,
    BallotUpload,
    Question,
    RespondentGroup,
    ScaleOption,
    StagedAnswer,
)
from .sources import BALLOT_FILE_SUFFIXES, ballot_source_open, ballot_source_rows

logger = logging.getLogger(__name__)

MAX_ERRORS = 5000  # kept on the upload; the count is always exact
STAGE_BATCH = 5000
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def file_sha256(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def path_chunks(path: Path) -> Iterable[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            yield chunk


def ballot_file_refuse(*, name: str, size: int | None = None) -> None:
    """Refuse a ballots file that is not a spreadsheet or .csv, or (`size` given: an upload from the
    browser) larger than MAX_UPLOAD_BYTES. The form checks with it before the service."""
    # Django caps request bodies only in memory; a file's size is ours to check.
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"Tệp quá lớn ({size // (1024 * 1024)} MB); tối đa "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
        )
    if Path(name).suffix.lower() not in BALLOT_FILE_SUFFIXES:
        raise ValidationError("Tệp phiếu phải là .xlsx, .ods, .xls hoặc .csv.")


def ballot_upload_previous(*, year: Year, sha256: str, exclude: int | None = None):
    """The imported upload of the same file into the same year, if any."""
    return (
        BallotUpload.objects.filter(year=year, sha256=sha256, status=BallotUpload.Status.IMPORTED)
        .exclude(pk=exclude)
        .order_by("-imported_at")
        .first()
    )


def ballot_upload_create(
    *,
    year: Year,
    mode: str = BallotUpload.Mode.APPEND,
    uploaded: UploadedFile | None = None,
    path: str | Path | None = None,
    by=None,
) -> BallotUpload:
    """Record a ballots file: a browser upload (stored under MEDIA_ROOT/uploads/) or a
    path given to the command (read in place).

    The same file imported before into the same year is refused unless `mode` replaces.
    """
    year_refuse_if_frozen(year)
    if uploaded is not None:
        name, size = uploaded.name, uploaded.size
        ballot_file_refuse(name=name, size=size)
        sha256 = file_sha256(uploaded.chunks())
    else:
        path = Path(path)
        name, size = path.name, path.stat().st_size
        ballot_file_refuse(name=name)
        sha256 = file_sha256(path_chunks(path))
    previous = ballot_upload_previous(year=year, sha256=sha256)
    if previous is not None and mode == BallotUpload.Mode.APPEND:
        raise ValidationError(
            f"Tệp này (SHA-256 {sha256[:12]}…) đã được nhập vào năm {year.year} lúc "
            f"{timezone.localtime(previous.imported_at):%H:%M %d/%m/%Y} "
            f"(tệp '{previous.original_name}'). Muốn nhập lại, hãy chọn thay thế các phiếu "
            "trùng số phiếu hoặc thay thế toàn bộ phiếu của năm."
        )
    upload = BallotUpload(
        year=year, original_name=name[:255], sha256=sha256, size=size, mode=mode, created_by=by
    )
    if uploaded is not None:
        uploaded.seek(0)
        upload.file.save(name, uploaded, save=False)
    upload.save()
    return upload


@dataclass(frozen=True)
class YearIds:
    """Codes → primary keys of a stored year, to stage resolved answers."""

    groups: dict[str, int]
    participations: dict[str, int]
    criteria: dict[tuple[str, str], int]  # (unit code, criterion code)
    options: dict[tuple[int, str], int]  # (criterion id, option code)

    @classmethod
    def of(cls, year: Year) -> YearIds:
        participations = list(
            Participation.objects.filter(year=year).values_list("unit__code", "pk", "block_id")
        )
        by_block: dict[int, dict[str, int]] = {}
        for block_id, code, pk in Criterion.objects.filter(
            year=year, is_leaf=True, method=Criterion.Method.SURVEY
        ).values_list("block_id", "code", "pk"):
            by_block.setdefault(block_id, {})[code] = pk
        scales = dict(
            Question.objects.filter(criterion__year=year).values_list("criterion_id", "scale_id")
        )
        by_scale: dict[int, dict[str, int]] = {}
        for scale_id, code, pk in ScaleOption.objects.filter(scale__year=year).values_list(
            "scale_id", "code", "pk"
        ):
            by_scale.setdefault(scale_id, {})[code] = pk
        return cls(
            groups=dict(RespondentGroup.objects.filter(year=year).values_list("code", "pk")),
            participations={unit: pk for unit, pk, _ in participations},
            criteria={
                (unit, code): pk
                for unit, _, block_id in participations
                for code, pk in by_block.get(block_id, {}).items()
            },
            options={
                (criterion_id, code): pk
                for criterion_id, scale_id in scales.items()
                for code, pk in by_scale.get(scale_id, {}).items()
            },
        )

    def staged(self, upload_id: int, number: int, answer: AnswerRow) -> tuple:
        """A staging row, in the column order of `STAGE_INSERT`."""
        criterion_id = self.criteria[(answer.unit, answer.criterion)]
        return (
            upload_id,
            number,
            answer.ballot,
            self.groups[answer.group],
            self.participations[answer.unit],
            criterion_id,
            self.options[(criterion_id, answer.option)],
        )


def stage_rows(rows: list[tuple]) -> None:
    """Insert staging rows. Plain `executemany`: half a million model instances through
    bulk_create cost more than reading the file, and nothing else reads these rows as
    objects."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ("upload_id", "row", "ballot_code", "group_id", "participation_id")
    columns += ("criterion_id", "option_id")
    # One transaction per batch: in autocommit SQLite would commit (fsync) every row.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(StagedAnswer._meta.db_table)} "
            f"({', '.join(quote(column) for column in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )


def stored_conflicts(upload: BallotUpload, limit: int = MAX_ERRORS) -> tuple[list[tuple], int]:
    """Staged answers that collide with the year's stored ballots: (row, text) and count.

    Only appending can collide; replacing modes delete the stored ballots first.
    """
    if upload.mode != BallotUpload.Mode.APPEND:
        return [], 0
    sheet = upload.sheet or "ballots"
    staged = StagedAnswer.objects.filter(upload=upload)
    answered = staged.filter(
        Exists(
            Answer.objects.filter(
                ballot__year_id=upload.year_id,
                ballot__code=OuterRef("ballot_code"),
                participation_id=OuterRef("participation_id"),
                criterion_id=OuterRef("criterion_id"),
            )
        )
    )
    regrouped = staged.filter(
        Exists(
            Ballot.objects.filter(year_id=upload.year_id, code=OuterRef("ballot_code")).exclude(
                group_id=OuterRef("group_id")
            )
        )
    )
    found = []
    for row, ballot, unit, criterion in answered.order_by("row").values_list(
        "row", "ballot_code", "participation__unit__code", "criterion__code"
    )[:limit]:
        found.append(
            (
                row,
                location(
                    sheet,
                    row,
                    "criterion" if upload.format != "wide" else criterion,
                    answered_already(ballot, criterion, unit),
                ),
            )
        )
    stored_groups = dict(
        Ballot.objects.filter(year_id=upload.year_id, code__in=regrouped.values("ballot_code"))
        .values_list("code", "group__code")
        .order_by()
    )
    for row, ballot, group in regrouped.order_by("row").values_list(
        "row", "ballot_code", "group__code"
    )[:limit]:
        found.append(
            (
                row,
                location(
                    sheet,
                    row,
                    "group",
                    other_group(ballot, stored_groups.get(ballot), STORED, group),
                ),
            )
        )
    return found, answered.count() + regrouped.count()


def upload_counts(upload: BallotUpload) -> dict:
    """Valid answers and ballots per block, per (block, group) and per unit."""
    staged = StagedAnswer.objects.filter(upload=upload).order_by()
    block = {"block_code": F("participation__block__code")}

    def rows(**names):
        return list(
            staged.values(**names)
            .annotate(answers=Count("id"), ballots=Count("ballot_code", distinct=True))
            .order_by(*names)
        )

    return {
        "blocks": rows(**block),
        "groups": rows(**block, group_code=F("group__code")),
        "units": rows(
            **block, unit_code=F("participation__unit__code"), unit_name=F("participation__name")
        ),
    }


def ballot_upload_check(
    *, upload: BallotUpload, path: str | Path | None = None, job: Job | None = None
) -> BallotUpload:
    """The dry run: every row judged, valid answers staged, errors and counts recorded."""
    year_refuse_if_frozen(upload.year)
    BallotUpload.objects.filter(pk=upload.pk).update(status=BallotUpload.Status.CHECKING)
    StagedAnswer.objects.filter(upload=upload).delete()
    try:
        return _check(upload, path or upload.file.path, job)
    except Exception as error:
        # Whatever a crafted file does to a reader, the upload ends refused, never "checking".
        logger.exception("ballot upload %s: check failed", upload.pk)
        StagedAnswer.objects.filter(upload=upload).delete()
        upload.status = BallotUpload.Status.REJECTED
        upload.errors = getattr(error, "messages", None) or [UNREADABLE]
        upload.error_count = len(upload.errors)
        upload.checked_at = timezone.now()
        upload.save()
        return upload


UNREADABLE = (
    "ballots!1: -: không đọc được tệp (tệp hỏng hoặc không đúng định dạng); hãy mở bằng Excel "
    "và lưu lại dạng .xlsx hoặc “CSV UTF-8”."
)


def _check(upload: BallotUpload, path, job: Job | None) -> BallotUpload:
    source = ballot_source_open(path)
    upload.sheet, upload.format = source.sheet, source.format
    found: list[tuple[int, str]] = [(1, error) for error in source.errors]
    error_count = len(found)
    rows = answers = 0
    if not source.errors:
        codes = survey_codes_for_year(
            upload.year,
            with_stored_ballots=upload.mode == BallotUpload.Mode.APPEND,
            with_stored_answers=False,
        )
        checker = BallotChecker(codes, source.sheet)
        ids = YearIds.of(upload.year)
        if job is not None:
            job_progress(job, 0, source.total, f"Đang kiểm tra tệp {upload.original_name}…")
        batch: list[tuple] = []
        for number, row_answers, errors in ballot_source_rows(source, checker):
            rows += 1
            if errors:
                error_count += len(errors)
                if len(found) < MAX_ERRORS:
                    found.extend((number, error) for error in errors)
            batch.extend(ids.staged(upload.pk, number, answer) for answer in row_answers)
            answers += len(row_answers)
            if len(batch) >= STAGE_BATCH:
                stage_rows(batch)
                batch = []
                if job is not None:
                    job_progress(job, number - 1)
        stage_rows(batch)
        conflicts, conflict_count = stored_conflicts(upload)
        found.extend(conflicts)
        error_count += conflict_count
    found.sort(key=lambda item: item[0])
    upload.rows = rows
    upload.error_count = error_count
    upload.errors = [error for _, error in found[:MAX_ERRORS]]
    # Counted on the valid rows even when the file is refused: the preview shows both.
    upload.counts = {**upload_counts(upload), "notes": source.notes}
    upload.answers = answers
    upload.ballots = sum(row["ballots"] for row in upload.counts.get("blocks", []))
    upload.checked_at = timezone.now()
    if error_count:
        upload.status = BallotUpload.Status.REJECTED
        StagedAnswer.objects.filter(upload=upload).delete()
    else:
        upload.status = BallotUpload.Status.CHECKED
    upload.save()
    if job is not None:
        job_progress(job, rows, rows)
    return upload


def ballot_upload_import(*, upload: BallotUpload, job: Job | None = None) -> BallotUpload:
    """Write a checked upload's staged answers into the year, in one transaction.

    Idempotent: an imported upload is left as it is. Raises ValidationError (and marks
    the upload rejected) when stored ballots changed since the check and now collide.
    """
    upload.refresh_from_db()
    if upload.status == BallotUpload.Status.IMPORTED:
        return upload
    if upload.status not in (BallotUpload.Status.CHECKED, BallotUpload.Status.IMPORTING):
        raise ValidationError(
            f"Tệp '{upload.original_name}' chưa được kiểm tra hợp lệ "
            f"(trạng thái: {upload.get_status_display()})."
        )
    year_refuse_if_frozen(upload.year)
    if job is not None:
        job_progress(job, 0, upload.answers, "Đang ghi phiếu vào cơ sở dữ liệu…")
    BallotUpload.objects.filter(pk=upload.pk).update(status=BallotUpload.Status.IMPORTING)
    try:
        with transaction.atomic():
            year_lock_for_write(upload.year)
            locked = BallotUpload.objects.select_for_update().get(pk=upload.pk)
            if locked.status == BallotUpload.Status.IMPORTED:
                return locked
            conflicts, count = stored_conflicts(upload)
            if count:
                raise Conflicts(conflicts, count)
            upload.counts = {**upload.counts, "new_ballots": _write(upload)}
            upload.status = BallotUpload.Status.IMPORTED
            upload.imported_at = timezone.now()
            upload.save(update_fields=["status", "imported_at", "counts"])
            StagedAnswer.objects.filter(upload=upload).delete()
    except Conflicts as conflicts:
        upload.status = BallotUpload.Status.REJECTED
        upload.errors = [error for _, error in sorted(conflicts.found)]
        upload.error_count = conflicts.count
        upload.save(update_fields=["status", "errors", "error_count"])
        StagedAnswer.objects.filter(upload=upload).delete()
        raise ValidationError(
            f"Đã có phiếu khác được nhập sau khi kiểm tra: {conflicts.count} câu trả lời "
            "trùng; không có phiếu nào được ghi."
        ) from None
    except BaseException:
        BallotUpload.objects.filter(pk=upload.pk).update(status=BallotUpload.Status.CHECKED)
        raise
    if job is not None:
        job_progress(job, upload.answers, upload.answers)
    return upload


class Conflicts(Exception):
    def __init__(self, found: list[tuple], count: int):
        super().__init__(count)
        self.found, self.count = found, count


def _write(upload: BallotUpload) -> int:
    """Inside the import transaction: delete what the mode replaces, then insert.

    Returns the number of ballots created.
    """
    year_id = upload.year_id
    staged = StagedAnswer.objects.filter(upload=upload)
    if upload.mode == BallotUpload.Mode.REPLACE_YEAR:
        Answer.objects.filter(ballot__year_id=year_id).delete()
        Ballot.objects.filter(year_id=year_id).delete()
    elif upload.mode == BallotUpload.Mode.REPLACE_BALLOTS:
        codes = staged.values("ballot_code")
        Answer.objects.filter(ballot__year_id=year_id, ballot__code__in=codes).delete()
        Ballot.objects.filter(year_id=year_id, code__in=codes).delete()
    stored = set(Ballot.objects.filter(year_id=year_id).values_list("code", flat=True))
    new = {
        code: group_id
        for code, group_id in staged.values_list("ballot_code", "group_id").distinct().order_by()
        if code not in stored
    }
    Ballot.objects.bulk_create(
        (Ballot(year_id=year_id, code=code, group_id=group_id) for code, group_id in new.items()),
        batch_size=STAGE_BATCH,
    )
    # One set-based statement: the ORM has no INSERT … SELECT, and half a million answers
    # through model instances would cost more than reading the file.
    answer, ballot, stage = (
        Answer._meta.db_table,
        Ballot._meta.db_table,
        StagedAnswer._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {answer} (ballot_id, participation_id, criterion_id, option_id) "
            f"SELECT b.id, s.participation_id, s.criterion_id, s.option_id "
            f"FROM {stage} s JOIN {ballot} b ON b.year_id = %s AND b.code = s.ballot_code "
            f"WHERE s.upload_id = %s",
            [year_id, upload.pk],
        )
    return len(new)


def ballot_uploads_settle() -> None:
    """Uploads still shown as being checked or imported although their job is over.

    A worker killed mid-job is redelivered the job (acks_late), which then completes the
    upload; if that never happens, the job is given up as lost after the broker's
    visibility timeout (`job_fail_stale`). An upload whose import job failed goes back to
    checked: its transaction rolled back and its staged answers are intact, so the
    officer may import it again or cancel. One whose check failed is rejected with the
    job's message, to be uploaded again. Called by the pages that show uploads.
    """
    job_fail_stale(kind=Job.Kind.IMPORT_BALLOTS)
    failed = BallotUpload.objects.filter(job__status=Job.Status.FAILED)
    failed.filter(status=BallotUpload.Status.IMPORTING).update(status=BallotUpload.Status.CHECKED)
    unchecked = (BallotUpload.Status.PENDING, BallotUpload.Status.CHECKING)
    for upload in failed.filter(status__in=unchecked).select_related("job"):
        StagedAnswer.objects.filter(upload=upload).delete()
        upload.status = BallotUpload.Status.REJECTED
        upload.errors = upload.job.errors or [upload.job.message]
        upload.error_count = len(upload.errors)
        upload.save(update_fields=["status", "errors", "error_count"])


def ballot_upload_cancel(*, upload: BallotUpload) -> BallotUpload:
    """Drop a checked upload that the officer decided not to import."""
    if upload.status not in (BallotUpload.Status.CHECKED, BallotUpload.Status.REJECTED):
        raise ValidationError("Chỉ hủy được tệp chưa nhập.")
    StagedAnswer.objects.filter(upload=upload).delete()
    upload.status = BallotUpload.Status.CANCELLED
    upload.save(update_fields=["status"])
    return upload
