from django import forms

from .models import NoticePreference


class PreferenceForm(forms.Form):
    channel = forms.ChoiceField(
        label="Nhận thông báo qua",
        choices=NoticePreference.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Hãy chọn cách nhận thông báo.",
            "invalid_choice": "Cách nhận thông báo không hợp lệ.",
        },
    )
