"""A published year is frozen (DOMAIN.md §9): every write path refuses it with one message,
checked under a lock on the year's row so that nothing lands after publication begins."""

from django.core.exceptions import ValidationError
from django.db import connection

from criteria.models import Year


def frozen_message(year_number: int) -> str:
    return f"Năm {year_number} đã công bố: dữ liệu của năm đã khóa, không thể thay đổi."


def year_refuse_if_frozen(year) -> None:
    """Raise the one refusal of a published year; `year` is a criteria.models.Year."""
    if year.is_published:
        raise ValidationError(frozen_message(year.year), code="year_frozen")


def year_lock_shared(year) -> Year:
    """Inside a write's transaction, before it touches anything: lock the year's row and
    return the year as it is now.

    Writes share the lock (FOR SHARE: they do not wait for each other); publication takes
    it exclusively (FOR UPDATE), so it waits for the writes under way, and every later write
    waits for it and then sees the year published. SQLite has one writer at a time anyway.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("the year's lock belongs inside transaction.atomic()")
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Year._meta.db_table)
        query = f"SELECT * FROM {table} WHERE id = %s FOR SHARE"
        return next(iter(Year.objects.raw(query, [year.pk])))
    return Year.objects.get(pk=year.pk)


def year_lock_for_write(year) -> Year:
    """The one guard of every write to a year: its lock, then the frozen-year refusal."""
    locked = year_lock_shared(year)
    year_refuse_if_frozen(locked)
    return locked


def year_lock_for_publication(year):
    """The exclusive lock of publication (and of anything that changes the year's status)."""
    if not connection.in_atomic_block:
        raise RuntimeError("year_lock_for_publication() belongs inside transaction.atomic()")
    return Year.objects.select_for_update().get(pk=year.pk)
