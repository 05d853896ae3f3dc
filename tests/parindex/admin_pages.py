"""Posting the admin's own forms as a browser would: what the page shows, with changes."""

from django.forms import CheckboxInput, MultiWidget, SelectMultiple

from demo.users import ADMIN_USERNAME
from tests.personas import person


def home_affairs_admin(client):
    """The admin's own login (quantri, Đào Minh Tuấn), staff and superuser as the demo gives
    it; no officer who works in the year is a superuser (demo/users.py)."""
    admin = person(ADMIN_USERNAME)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin)
    return admin


def _form_data(form) -> dict:
    data = {}
    for bound in form:
        widget, value = bound.field.widget, bound.value()
        widget = getattr(widget, "widget", widget)  # the admin's related-object wrapper
        if bound.field.disabled:
            continue
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for suffix, sub, part in zip(widget.widgets_names, widget.widgets, parts, strict=True):
                data[bound.html_name + suffix] = sub.format_value(part) or ""
        elif isinstance(widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(widget, SelectMultiple):
            data[bound.html_name] = [str(v.pk if hasattr(v, "pk") else v) for v in value or ()]
        else:
            formatted = widget.format_value(value)
            data[bound.html_name] = "" if formatted is None else formatted
    return data


def posted(response, **changes) -> dict:
    """The change form of `response` (its inlines too) as it would be posted, with `changes`."""
    context = response.context
    data = _form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
