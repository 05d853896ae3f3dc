"""The people sheet for django-import-export: one row per person and role (a person with two
roles has two rows). The rows are read and checked by accounts.services.people; this module
fits them into import-export's preview and confirm, whose transaction rolls everything
back as soon as one row is wrong."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import fields, resources

from accounts.services import people
from accounts.services.activation import activation_send
from accounts.services.people import (
    AREAS,
    COLUMNS,
    EMAIL,
    FULL_NAME,
    PHONE,
    REQUIRED_COLUMNS,
    ROLE,
    UNIT,
    USERNAME,
)
from kernel.ordering import unit_code_key
from notifications.services import emails_send_soon
from units.models import Membership


class PersonDiff(resources.Diff):
    """The preview shows each row as the export writes it (the columns are computed, not
    model attributes)."""

    @classmethod
    def _read_field_values(cls, resource, instance):
        if instance is None:
            return ["" for _field in resource.get_import_fields()]
        return [resource.export_field(f, instance) for f in resource.get_import_fields()]


ROLE_ORDER = list(Membership.Role)


def _profile(membership):
    user = getattr(membership, "user", None) if membership.user_id else None
    return getattr(user, "profile", None) if user else None


class PersonResource(resources.ModelResource):
    full_name = fields.Field(column_name=FULL_NAME)
    email = fields.Field(column_name=EMAIL)
    phone = fields.Field(column_name=PHONE)
    unit_code = fields.Field(column_name=UNIT)
    role_label = fields.Field(column_name=ROLE)
    areas = fields.Field(column_name=AREAS)
    username = fields.Field(column_name=USERNAME)

    class Meta:
        model = Membership
        fields = ("full_name", "email", "phone", "unit_code", "role_label", "areas", "username")
        export_order = fields
        import_id_fields = ()
        use_transactions = True
        clean_model_instances = False
        skip_html_diff = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lookups = None
        self.current: people.PersonRow | None = None
        self.people_seen: dict[str, tuple[int, tuple]] = {}
        self.memberships_seen: dict[tuple, int] = {}
        self.emails_seen: dict[str, tuple[int, str]] = {}
        self.new_accounts: list = []

    # Nothing is written when any row is wrong, at the preview and at the confirm.
    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        headers = [people.cell({"h": header}, "h") for header in dataset.headers or ()]
        dataset.headers = headers
        missing = [column for column in REQUIRED_COLUMNS if column not in headers]
        if missing:
            expected = ", ".join(COLUMNS)
            raise ValidationError(f"Thiếu cột {', '.join(missing)} ở dòng 1 (các cột: {expected}).")
        self.lookups = people.Lookups.load()

    def after_import(self, dataset, result, **kwargs):
        """Each new account with an email gets its activation link once the import
        commits (nothing is sent for a preview or an import rolled back)."""
        result.new_accounts = list(self.new_accounts)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        queued = False
        for user in self.new_accounts:
            if user.email:
                activation_send(user=user, by=kwargs.get("user"), send_soon=False)
                queued = True
        if queued:  # one job sends them all, once the import commits
            transaction.on_commit(emails_send_soon)

    def before_import_row(self, row, row_number=None, **kwargs):
        """Read and check the row; the sheet's row is one below import-export's count
        (row 1 holds the column names)."""
        self.current = None
        sheet_row = row_number + 1
        person = people.person_row_parse(row, lookups=self.lookups)
        errors = self._against_earlier_rows(person, sheet_row)
        user = people.person_find(person)
        errors |= people.person_conflicts(person, user)
        if errors:
            raise ValidationError(errors)
        self.current = person
        self.current_user = user

    def _against_earlier_rows(self, person: people.PersonRow, sheet_row: int) -> dict:
        errors = {}
        seen = self.people_seen.setdefault(person.username, (sheet_row, person.person_key))
        if seen[1] != person.person_key:
            errors[FULL_NAME] = (
                f"Tài khoản «{person.username}» đã có ở dòng {seen[0]} với họ tên, email, "
                "điện thoại hoặc lĩnh vực khác: ghi giống nhau trên mọi dòng của một người."
            )
        if person.email:
            owner = self.emails_seen.setdefault(person.email, (sheet_row, person.username))
            if owner[1] != person.username:
                errors[EMAIL] = f"Email «{person.email}» đã dùng ở dòng {owner[0]}."
        key = (person.username, person.role, person.unit.pk if person.unit else None)
        first = self.memberships_seen.setdefault(key, sheet_row)
        if first != sheet_row:
            errors[ROLE] = f"Trùng với dòng {first} (cùng người, vai trò và đơn vị)."
        return errors

    def get_diff_class(self):
        return PersonDiff

    def get_or_init_instance(self, instance_loader, row):
        person, user = self.current, self.current_user
        if user is not None:
            existing = Membership.objects.filter(
                user=user, role=person.role, unit=person.unit
            ).first()
            if existing is not None:
                return existing, False
        return Membership(user=user, role=person.role, unit=person.unit), True

    def import_instance(self, instance, row, **kwargs):
        """The row was read whole in before_import_row."""

    def save_instance(self, instance, is_create, row, **kwargs):
        membership, account_created = people.person_save(person=self.current, by=kwargs.get("user"))
        instance.pk, instance.user = membership.pk, membership.user
        if account_created:
            self.new_accounts.append(membership.user)

    # The sheet as exported, and as the preview shows each row.
    def dehydrate_full_name(self, membership):
        user = membership.user if membership.user_id else None
        return f"{user.last_name} {user.first_name}".strip() if user else ""

    def dehydrate_email(self, membership):
        return membership.user.email if membership.user_id else ""

    def dehydrate_phone(self, membership):
        profile = _profile(membership)
        return profile.phone if profile else ""

    def dehydrate_unit_code(self, membership):
        return membership.unit.code if membership.unit_id else ""

    def dehydrate_role_label(self, membership):
        return membership.get_role_display() if membership.role else ""

    def dehydrate_areas(self, membership):
        profile = _profile(membership)
        return profile.areas if profile else ""

    def dehydrate_username(self, membership):
        return membership.user.username if membership.user_id else ""

    def export(self, queryset=None, **kwargs):
        """Units in natural order (A2 before A10), then role and name."""
        queryset = Membership.objects.all() if queryset is None else queryset
        rows = sorted(
            queryset.select_related("user__profile", "unit"),
            key=lambda m: (
                unit_code_key(m.unit.code) if m.unit_id else ("~",),
                ROLE_ORDER.index(m.role),
                m.user.last_name,
                m.user.first_name,
            ),
        )
        return super().export(queryset=rows, **kwargs)
