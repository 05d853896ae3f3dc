"""The admin obeys the year's lifecycle (DOMAIN.md §9): what belongs to a published year is
read-only there, and a write to a year takes the same lock and check as every other door
(criteria.phase.year_lock_for_write).

Each app's ModelAdmin says where its objects' year is with `year_path` (a lookup path from
the object: `participation__year`; `""` for the year itself; None: not a year's data).
`frozen_fields` instead names the only fields a published year freezes, for data shared
across years (a unit's code).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from criteria.phase import year_lock_for_write, year_refuse_if_frozen
from kernel.admin_audit import AuditedAdmin, path_objects


def frozen_refusals(years) -> list[str]:
    """The one refusal of each published year among `years`."""
    refusals = []
    for year in years:
        try:
            year_refuse_if_frozen(year)
        except ValidationError as error:
            refusals.extend(error.messages)
    return refusals


class FrozenInline:
    """An inline of a published year's object: shown, never written."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LifecycleAdmin(AuditedAdmin):
    """Mixed in before the app's admin, so the app's `year_path` and `frozen_fields` are
    read with getattr (a default here would hide them)."""

    @property
    def year_scoped(self) -> bool:
        return getattr(self, "year_path", None) is not None

    @property
    def frozen_only(self) -> tuple[str, ...]:
        return tuple(getattr(self, "frozen_fields", ()))

    def years_of(self, obj) -> list:
        return path_objects(obj, getattr(self, "year_path", None))

    def audit_year(self, obj) -> int | None:
        years = self.years_of(obj)
        return years[0].year if len(years) == 1 else None

    def refusals(self, obj) -> list[str]:
        return frozen_refusals(self.years_of(obj)) if obj is not None else []

    def _wholly_frozen(self, obj) -> bool:
        return not self.frozen_only and bool(self.refusals(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._wholly_frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.refusals(obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.frozen_only and self.refusals(obj):
            readonly += [name for name in self.frozen_only if name not in readonly]
        return readonly

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if not self._wholly_frozen(obj):
            return inlines
        return [type(inline.__name__, (FrozenInline, inline), {}) for inline in inlines]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if request.method == "GET":
            for refusal in dict.fromkeys(self.refusals(obj)):
                self.message_user(request, refusal, messages.WARNING)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not self.year_scoped or self.frozen_only:
            return form
        return type(form.__name__, (form,), {"clean": _locked_clean(self, form)})

    def years_for_form(self, form) -> tuple[str | None, list]:
        """The years a form writes to: the object's year as stored and the one it is moved
        to (the path's first step as posted), with the field that names it."""
        years = self.years_of(form.instance) if form.instance.pk else []
        first, _, rest = (getattr(self, "year_path", None) or "").partition("__")
        if first and first in form.cleaned_data:
            years += path_objects(form.cleaned_data[first], rest)
            return first, list(dict.fromkeys(years))
        return None, years

    def lock_years(self, obj) -> None:
        """Inside the admin's transaction: the year's lock, and a 403 if it was published
        between the page and the post."""
        for year in self.years_of(obj):
            try:
                year_lock_for_write(year)
            except ValidationError as error:
                raise PermissionDenied(" ".join(error.messages)) from error

    @transaction.atomic
    def delete_model(self, request, obj):
        self.lock_years(obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # The changelist's "delete selected" asks for permission without the objects.
        for obj in queryset:
            self.lock_years(obj)
        super().delete_queryset(request, queryset)


def _locked_clean(model_admin: LifecycleAdmin, form_class):
    """The form's clean, then the year's lock and frozen check inside the admin's
    transaction: a published year is refused as a form error, and nothing is saved."""

    def clean(form):
        cleaned = super(form.__class__, form).clean()
        field, years = model_admin.years_for_form(form)
        for year in years:
            try:
                year_lock_for_write(year)
            except ValidationError as error:
                form.add_error(field if field in form.fields else None, error.messages)
        return cleaned

    return clean


def lifecycle_admin(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """`admin_class` with the lifecycle and the audit trail mixed in (once)."""
    if issubclass(admin_class, LifecycleAdmin):
        return admin_class
    return type(
        admin_class.__name__,
        (LifecycleAdmin, admin_class),
        {"__module__": admin_class.__module__},
    )
