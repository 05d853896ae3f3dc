"""Thin forms: they read the request; the services hold the rules."""

from django import forms
from django.utils import timezone

from kernel.forms import MultipleFileField

from .selectors import person_name

MAX_FILES_PER_UPLOAD = 10


class LeafForm(forms.Form):
    score = forms.CharField(label="Điểm tự chấm", required=False, max_length=30)
    value = forms.CharField(label="Giá trị đạt được", required=False, max_length=30)
    note = forms.CharField(
        label="Giải thích", required=False, max_length=10000, widget=forms.Textarea
    )


class UploadForm(forms.Form):
    files = MultipleFileField(label="Tài liệu kiểm chứng", max_files=MAX_FILES_PER_UPLOAD)


class ReplaceForm(forms.Form):
    file = forms.FileField(label="Phiên bản mới")


class LinkForm(forms.Form):
    evidence_file = forms.ModelChoiceField(
        label="Dùng lại tệp đã tải lên", queryset=None, empty_label="— chọn tệp —"
    )

    def __init__(self, *args, files_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].queryset = files_queryset
        self.fields["evidence_file"].label_from_instance = lambda f: (
            f"{f.original_name} ({f.get_kind_display()}, "
            f"{timezone.localtime(f.uploaded_at):%d/%m/%Y %H:%M})"
        )


class NotApplicableForm(forms.Form):
    requested = forms.BooleanField(label="Đề nghị không áp dụng tiêu chí này", required=False)
    reason = forms.CharField(
        label="Lý do", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DelegateForm(forms.Form):
    to = forms.ModelChoiceField(
        label="Giao cho", queryset=None, required=False, empty_label="— không giao (tự làm) —"
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = colleagues
        self.fields["to"].label_from_instance = lambda u: f"{person_name(u)} ({u.username})"
