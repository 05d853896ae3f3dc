from django import forms
from django.contrib.auth import get_user_model

from appraisal.models import AppraisalEntry
from appraisal.services.assignments import appraisers
from appraisal.templatetags.appraisal_format import vi_name
from kernel.forms import MultipleFileField


class AppraisalForm(forms.Form):
    """Input parsing only; the rules (comment when differing, rubric, rounds) are in
    appraisal.services.appraisals.appraisal_save."""

    status = forms.ChoiceField(
        label="Kết quả thẩm định",
        choices=AppraisalEntry.Status.choices,
        widget=forms.RadioSelect,
    )
    appraised_score = forms.DecimalField(
        label="Điểm thẩm định",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=3,
        localize=True,
    )
    appraised_value = forms.DecimalField(
        label="Giá trị thẩm định",
        required=False,
        max_digits=14,
        decimal_places=3,
        localize=True,
        help_text="Tiêu chí chấm theo tỷ lệ: điểm tính theo thang chấm.",
    )
    comment = forms.CharField(
        label="Ý kiến thẩm định",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Bắt buộc khi điểm khác điểm tự chấm hoặc đề nghị giải trình.",
    )

    def __init__(self, *args, rubric: bool = False, final_round: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if rubric:
            del self.fields["appraised_score"]
        else:
            del self.fields["appraised_value"]
        if final_round:
            self.fields["status"].choices = [
                c for c in AppraisalEntry.Status.choices if c[0] != "needs_explanation"
            ]


class ExplanationForm(forms.Form):
    note = forms.CharField(
        label="Nội dung giải trình", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    files = MultipleFileField(
        label="Tài liệu kiểm chứng bổ sung",
        required=False,
        help_text="PDF, DOCX, XLSX, JPG hoặc PNG; tối đa 20 MB mỗi tệp.",
    )


class AssignmentForm(forms.Form):
    block = forms.CharField(widget=forms.HiddenInput)
    area_code = forms.CharField(widget=forms.HiddenInput)
    appraiser = forms.ModelChoiceField(label="Thành viên", queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appraiser"].queryset = appraisers()
        self.fields["appraiser"].label_from_instance = person_label


def person_label(user) -> str:
    units = ", ".join(
        m.unit.name for m in user.memberships.select_related("unit") if m.unit is not None
    )
    name = vi_name(user)
    return f"{name} ({units})" if units else name
