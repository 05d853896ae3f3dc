from django import forms


class ActivationCodeForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    code = forms.CharField(
        label="Mã kích hoạt",
        max_length=32,
        help_text="Mã in trên danh sách Sở Nội vụ gửi đơn vị, ví dụ ABCDE-FGHJK.",
    )
