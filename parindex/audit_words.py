"""The audit trail in words a Sở Nội vụ officer reads (DOMAIN.md §9): actions, fields by
their models' verbose names, choice values by their labels, people family name first.

Services record short action codes (`self_score_save`) and the raw values of the fields
they change; this module is the one place that turns them into words. An action missing
from ACTIONS shows as recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from appraisal.templatetags.appraisal_format import vi_name

# action → (words, the model whose fields the changes name when it is not the object's)
ACTIONS: dict[str, tuple[str, str | None]] = {
    "self_score_save": ("Sửa điểm tự chấm", None),
    "not_applicable_request": ("Đề nghị không áp dụng tiêu chí", None),
    "leaf_delegate": ("Giao tiêu chí cho cán bộ", None),
    "evidence_upload": ("Tải lên tài liệu kiểm chứng", None),
    "evidence_link": ("Gắn tài liệu kiểm chứng", None),
    "evidence_unlink": ("Gỡ tài liệu kiểm chứng", None),
    "evidence_replace": ("Thay tài liệu kiểm chứng", None),
    "self_assessment_submit": ("Gửi bản tự đánh giá", None),
    "self_assessment_withdraw": ("Rút bản tự đánh giá", None),
    "appraisal_save": ("Thẩm định tiêu chí", "appraisal.AppraisalEntry"),
    "not_applicable_decide": ("Quyết định đề nghị không áp dụng", None),
    "assignment_create": ("Phân công thẩm định", None),
    "assignment_reassign": ("Đổi người thẩm định", None),
    "assignment_delete": ("Bỏ phân công thẩm định", None),
    "explanation_submit": ("Gửi giải trình", None),
    "survey_gap_acknowledge": ("Chấp nhận tiêu chí không có phiếu điều tra", None),
    "year_publish": ("Công bố kết quả năm", "appraisal.Computation"),
    "year_start_from": ("Tạo năm đánh giá từ năm trước", None),
    "correction_open": ("Mở đính chính kết quả đã công bố", "appraisal.Computation"),
    "correction_score": ("Đính chính điểm thẩm định", "appraisal.AppraisalEntry"),
    "correction_publish": ("Công bố kết quả đính chính", "appraisal.Computation"),
    "correction_cancel": ("Hủy đính chính", "appraisal.Computation"),
    "criterion_add": ("Thêm tiêu chí vào bộ chỉ số", None),
    "criterion_rename": ("Đổi tên tiêu chí", None),
    "criterion_reweight": ("Đổi điểm tối đa của tiêu chí", None),
    "criterion_move": ("Chuyển vị trí tiêu chí", None),
    "criterion_delete": ("Xóa tiêu chí khỏi bộ chỉ số", None),
    "comparisons_refresh": ("Tính lại so sánh với năm trước", "appraisal.Computation"),
    "evidence_orphan_delete": ("Xóa tài liệu kiểm chứng không còn dùng", None),
    "person_import_add": ("Tạo tài khoản từ danh sách cán bộ", None),
    "person_import_change": ("Cập nhật tài khoản từ danh sách cán bộ", None),
    "activation_send": ("Gửi thư kích hoạt tài khoản", None),
    "activation_code_issue": ("In mã kích hoạt tài khoản", None),
    "password_set": ("Tự đặt mật khẩu", None),
    "admin_add": ("Thêm trong trang quản trị", None),
    "admin_change": ("Sửa trong trang quản trị", None),
    "admin_delete": ("Xóa trong trang quản trị", None),
    "admin_password": ("Đổi mật khẩu trong trang quản trị", None),
}

EMPTY = "(trống)"


def action_words(action: str) -> str:
    return ACTIONS.get(action, (action, None))[0]


def _model(label: str | None):
    if not label:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(models, name: str):
    for model in models:
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def _related_text(field, value, cache: dict) -> str:
    key = (field.related_model, value)
    if key not in cache:
        related = field.related_model._default_manager.filter(pk=value).first()
        if related is None:
            cache[key] = f"#{value}"
        elif isinstance(related, get_user_model()):
            cache[key] = vi_name(related)
        else:
            cache[key] = str(related)
    return cache[key]


def _person_text(username: str, cache: dict) -> str:
    """Assignments record the appraiser's username: shown as the person's name."""
    key = ("username", username)
    if key not in cache:
        person = get_user_model()._default_manager.filter(username=username).first()
        cache[key] = vi_name(person) if person is not None else username
    return cache[key]


def _number(value: str) -> str | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return format(number.normalize(), "f").replace(".", ",")


def value_text(field, value, cache: dict) -> str:
    """One recorded value in words: a choice's label, a person's name, a local time."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "có" if value else "không"
    if field is not None and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if field is not None and field.is_relation and isinstance(value, int):
        return _related_text(field, value, cache)
    if field is not None and field.is_relation and field.related_model is get_user_model():
        return _person_text(value, cache)
    if field is not None and field.get_internal_type() == "DateTimeField":
        try:
            return timezone.localtime(datetime.fromisoformat(value)).strftime("%H:%M %d/%m/%Y")
        except (TypeError, ValueError):
            pass
    if field is not None and field.get_internal_type() == "DateField":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            pass
    if field is not None and field.get_internal_type() == "DecimalField":
        return _number(value) or str(value)
    return str(value)


def field_words(field, name: str) -> str:
    words = str(field.verbose_name) if field is not None else name
    return words[:1].upper() + words[1:]


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class EventRow:
    event: object
    actor: str
    action: str
    subject: str
    changes: list[Change]


def event_row(event, cache: dict) -> EventRow:
    hint = _model(ACTIONS.get(event.action, ("", None))[1])
    subject_model = _model(event.object_type)
    models = [model for model in (hint, subject_model) if model is not None]
    changes = []
    for name, (old, new) in event.changes.items():
        field = _field(models, name)
        changes.append(
            Change(
                field_words(field, name),
                value_text(field, old, cache),
                value_text(field, new, cache),
            )
        )
    subject = str(subject_model._meta.verbose_name) if subject_model is not None else ""
    return EventRow(
        event=event,
        actor=vi_name(event.actor) if event.actor else "(hệ thống)",
        action=action_words(event.action),
        subject=subject,
        changes=changes,
    )


def event_rows(events) -> list[EventRow]:
    cache: dict = {}
    return [event_row(event, cache) for event in events]
