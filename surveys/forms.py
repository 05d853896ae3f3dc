from django import forms
from django.core.exceptions import ValidationError

from .models import BallotUpload, RespondentGroup, Scale, ScaleOption, SurveyPlan
from .questionnaire import scale_option_delete_check, scale_options_check
from .uploads import ballot_file_refuse


class BallotUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp phiếu (.xlsx, .ods, .xls hoặc .csv)",
        help_text="Dạng dài: ballot, group, unit, criterion, option. Dạng rộng: ballot, group, "
        "unit và một cột cho mỗi mã tiêu chí (ô ghi mã phương án, để trống nếu không trả lời).",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.ods,.xls,.csv"}),
    )
    mode = forms.ChoiceField(
        label="Cách nhập",
        choices=BallotUpload.Mode.choices,
        initial=BallotUpload.Mode.APPEND,
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        ballot_file_refuse(name=file.name, size=file.size)
        return file


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="Tôi đã xem kết quả kiểm tra và xác nhận nhập các phiếu này (không hoàn tác được).",
        required=True,
    )


class GroupForm(forms.ModelForm):
    class Meta:
        model = RespondentGroup
        fields = ["code", "name"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("DELETE") and self.instance.ballot_set.exists():
            raise forms.ValidationError(f"Nhóm {self.instance.code} đã có phiếu: không thể xóa.")
        return cleaned


class BaseGroupFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        codes = [
            form.cleaned_data["code"]
            for form in self.forms
            if form.cleaned_data.get("code") and not form.cleaned_data.get("DELETE")
        ]
        if len(codes) != len(set(codes)):
            raise forms.ValidationError("Mã nhóm không được trùng nhau.")


GroupFormSet = forms.modelformset_factory(
    RespondentGroup, form=GroupForm, formset=BaseGroupFormSet, extra=1, can_delete=True
)


class ScaleForm(forms.ModelForm):
    class Meta:
        model = Scale
        fields = ["code"]


class BaseOptionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = []
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                continue
            if data.get("DELETE"):
                if form.instance.pk:
                    try:
                        scale_option_delete_check(form.instance)
                    except ValidationError as error:
                        raise forms.ValidationError(error.messages) from None
                continue
            kept.append(data)
        try:
            scale_options_check(kept)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


OptionFormSet = forms.inlineformset_factory(
    Scale,
    ScaleOption,
    formset=BaseOptionFormSet,
    fields=["code", "label", "coefficient", "counted", "position"],
    extra=2,
    can_delete=True,
)


class QuestionForm(forms.Form):
    scale = forms.ModelChoiceField(label="Thang đo", queryset=Scale.objects.none())
    groups = forms.ModelMultipleChoiceField(
        label="Nhóm đối tượng được hỏi",
        queryset=RespondentGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label="Nội dung câu hỏi", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    sipas = forms.BooleanField(
        label="Thuộc Chỉ số hài lòng (SIPAS)",
        required=False,
        help_text="Câu trả lời của câu hỏi này được tính vào Chỉ số hài lòng của đơn vị.",
    )

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scale"].queryset = Scale.objects.filter(year=year)
        self.fields["groups"].queryset = RespondentGroup.objects.filter(year=year)


class PlanForm(forms.ModelForm):
    class Meta:
        model = SurveyPlan
        fields = ["block", "group", "planned", "rates_every_unit"]


PlanFormSet = forms.modelformset_factory(SurveyPlan, form=PlanForm, extra=1, can_delete=True)


def forms_disable(*forms_or_formsets) -> None:
    """A published year's questionnaire is shown, not edited."""
    for item in forms_or_formsets:
        for form in getattr(item, "forms", [item]):
            for field in form.fields.values():
                field.disabled = True
