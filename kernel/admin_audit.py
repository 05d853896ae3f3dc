"""The admin (/quan-tri/) is one more door to the data (DOMAIN.md §9): every add, change and
delete made there goes to the audit trail with the old and new value of each field, as the
services record theirs. Django's own LogEntry names the changed fields but not the values.

The project's admin site mixes `AuditedAdmin` into every ModelAdmin it registers, so a new
admin cannot forget it.
"""

from django.contrib import admin
from django.db import models

from .audit import audit_record

SECRET_FIELDS = {"password"}
SECRET_TEXT = "(ẩn)"


def path_objects(obj, path: str | None) -> list:
    """The objects reached from `obj` along a lookup path (`participation__year`); a reverse
    relation (`participations__year`) fans out. `""` is `obj` itself, None is nothing."""
    if path is None or obj is None:
        return []
    found = [obj]
    for step in path.split("__") if path else []:
        following = []
        for item in found:
            try:
                value = getattr(item, step)
            except (AttributeError, models.ObjectDoesNotExist):
                continue
            if isinstance(value, models.Manager):
                following.extend(value.all())
            elif value is not None:
                following.append(value)
        found = following
    return list(dict.fromkeys(found))


def _audited_fields(model) -> list:
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and getattr(field, "editable", False)
    ]


def _text(field, raw):
    """A field's value as the audit trail keeps it: choices as their stored value (the page
    shows the label), relations by name, numbers and dates as text."""
    if field.name in SECRET_FIELDS:
        return SECRET_TEXT if raw else None
    if field.many_to_many:
        return ", ".join(sorted(str(item) for item in raw or ())) or None
    if field.is_relation and raw is not None and not isinstance(raw, models.Model):
        raw = field.related_model._default_manager.filter(pk=raw).first() or raw
    if isinstance(raw, models.Model):
        return str(raw)
    if isinstance(raw, models.fields.files.FieldFile):
        return raw.name or None
    if raw in ("", [], {}):
        return None
    return raw


def instance_values(instance) -> dict:
    """Every editable field of a saved instance, as text, for an add or a delete."""
    values = {}
    for field in _audited_fields(type(instance)):
        raw = field.value_from_object(instance)
        values[field.name] = _text(field, raw)
    return {name: value for name, value in values.items() if value is not None}


def form_changes(form, *, add: bool) -> dict:
    """Old → new of the fields a model form changed (all its filled fields for an add)."""
    model = form._meta.model
    names = set(form.fields)
    changes = {}
    for field in _audited_fields(model):
        if field.name not in names or (not add and field.name not in form.changed_data):
            continue
        if field.many_to_many:
            new = _text(field, form.cleaned_data.get(field.name))
        else:
            new = _text(field, field.value_from_object(form.instance))
        old = None if add else _text(field, form.initial.get(field.name))
        if field.name in SECRET_FIELDS and not add:
            old, new = SECRET_TEXT, "(đã đổi)"
        changes[field.name] = (old, new)
    return changes


class AuditedAdmin(admin.ModelAdmin):
    """Records the admin's writes. `audit_year` and `audit_unit_code` say which year and unit
    a change belongs to (the site's lifecycle mixin knows each model's year); an app's admin
    may name the path to its objects' unit code with `unit_path`."""

    def audit_year(self, obj) -> int | None:
        return None

    def audit_unit_code(self, obj) -> str:
        codes = path_objects(obj, getattr(self, "unit_path", None))
        return str(codes[0]) if len(codes) == 1 else ""

    def audit(self, request, *, action: str, obj, changes: dict, context=None) -> None:
        context = context or obj
        audit_record(
            actor=request.user,
            action=action,
            obj=obj,
            year=self.audit_year(context),
            unit_code=self.audit_unit_code(context),
            changes=changes,
            note=f"{obj._meta.verbose_name}: {obj}",
        )

    def save_related(self, request, form, formsets, change):
        changes = form_changes(form, add=not change)
        if changes:
            self.audit(
                request,
                action="admin_change" if change else "admin_add",
                obj=form.instance,
                changes=changes,
            )
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        parent = form.instance
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is None:
                continue
            changes = {name: (v, None) for name, v in instance_values(deleted.instance).items()}
            self.audit(
                request,
                action="admin_delete",
                obj=deleted.instance,
                changes=changes,
                context=parent,
            )
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            instance = inline_form.instance
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            added = instance in formset.new_objects
            changes = form_changes(inline_form, add=added)
            if changes:
                self.audit(
                    request,
                    action="admin_add" if added else "admin_change",
                    obj=instance,
                    changes=changes,
                    context=parent,
                )

    def _audit_delete(self, request, obj) -> None:
        changes = {name: (value, None) for name, value in instance_values(obj).items()}
        self.audit(request, action="admin_delete", obj=obj, changes=changes)

    def delete_model(self, request, obj):
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)
