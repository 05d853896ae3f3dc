"""Form fields every app's upload forms share."""

from __future__ import annotations

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, cleaned to a list (each file as FileField cleans one).

    A required field refuses an empty selection; `max_files` caps how many come at once.
    An empty file passes: the storing service refuses it by its name and keeps the others.
    """

    default_error_messages = {
        "required": "Chọn ít nhất một tệp.",
        "max_files": "Mỗi lần tải lên tối đa %(max_files)d tệp.",
    }

    def __init__(self, *args, max_files: int | None = None, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if self.max_files is not None and len(uploads) > self.max_files:
            raise forms.ValidationError(
                self.error_messages["max_files"],
                code="max_files",
                params={"max_files": self.max_files},
            )
        single = super().clean
        return [single(upload, initial) for upload in uploads]
