"""People in bulk: one row of the people sheet (name, email, phone, unit, role, delegated
areas) read into a `PersonRow`, every mistake named by its column in Vietnamese, then the
account, its profile and its membership created or updated, with the audit trail.

Units may be typed by code (A18) or by name (Sở Y tế), roles by their label or their code;
letter case and extra spaces do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import Profile
from criteria.models import Criterion
from kernel.audit import audit_record
from units.models import Membership, Unit

R = Membership.Role

# The sheet's columns, as a person reads them (the export writes the same).
USERNAME, FULL_NAME, EMAIL, PHONE = "Tên đăng nhập", "Họ và tên", "Email", "Điện thoại"
UNIT, ROLE, AREAS = "Đơn vị", "Vai trò", "Lĩnh vực thẩm định"
COLUMNS = (FULL_NAME, EMAIL, PHONE, UNIT, ROLE, AREAS, USERNAME)
REQUIRED_COLUMNS = (FULL_NAME, EMAIL, UNIT, ROLE)

# An appraiser is sent by a unit and never appraises it; unit people belong to one.
ROLES_WITH_UNIT = {R.UNIT_OFFICER, R.UNIT_HEAD, R.APPRAISER, R.SECRETARIAT_LEAD, R.HOME_AFFAIRS}
ROLES_WITH_AREAS = {R.APPRAISER, R.SECRETARIAT_LEAD}
PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}[0-9]$")
USERNAME_RE = re.compile(r"^[\w.@+-]{1,150}$")


def words(text) -> str:
    """A cell as one comparable string: NFC, spaces collapsed, case folded."""
    text = unicodedata.normalize("NFC", str(text if text is not None else ""))
    return " ".join(text.split()).casefold()


def cell(values: dict, column: str) -> str:
    value = values.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def role_names() -> dict[str, str]:
    """Every way a person may type a role: its label, its label without the part in
    brackets, its code."""
    names = {}
    for role in R:
        names[words(role.label)] = role.value
        names[words(re.sub(r"\(.*?\)", "", role.label))] = role.value
        names[words(role.label.removesuffix(" của đơn vị"))] = role.value
        names[words(role.value)] = role.value
    return names


@dataclass
class Lookups:
    """What every row is checked against, read once per sheet."""

    units_by_code: dict[str, Unit]
    units_by_name: dict[str, list[Unit]]
    roles: dict[str, str]
    area_codes: set[str]

    @classmethod
    def load(cls) -> Lookups:
        by_code, by_name = {}, {}
        for unit in Unit.objects.all():
            by_code[words(unit.code)] = unit
            by_name.setdefault(words(unit.name), []).append(unit)
        areas = set(Criterion.objects.filter(parent=None).values_list("code", flat=True).distinct())
        return cls(by_code, by_name, role_names(), areas)


@dataclass
class PersonRow:
    username: str
    full_name: str
    email: str
    phone: str
    unit: Unit | None
    role: str
    areas: list[str] = field(default_factory=list)
    # A username typed in the sheet names the account; without one, the email does.
    username_given: bool = False

    @property
    def person_key(self) -> tuple:
        return (self.full_name, self.email.lower(), self.phone, tuple(self.areas))


def _unit(text: str, lookups: Lookups) -> Unit:
    key = words(text)
    if key in lookups.units_by_code:
        return lookups.units_by_code[key]
    named = lookups.units_by_name.get(key, [])
    if len(named) == 1:
        return named[0]
    if named:
        codes = ", ".join(unit.code for unit in named)
        raise ValidationError(f"Có nhiều đơn vị tên «{text}» ({codes}): ghi mã đơn vị.")
    raise ValidationError(f"Không có đơn vị mã hoặc tên «{text}».")


def _areas(text: str, role: str | None, lookups: Lookups) -> list[str]:
    codes = [code.strip() for code in re.split(r"[;,]", text) if code.strip()]
    if not codes:
        return []
    if role and role not in ROLES_WITH_AREAS:
        raise ValidationError("Chỉ thành viên Tổ thư ký được giao lĩnh vực thẩm định.")
    unknown = [
        code
        for code in codes
        if not code.isdigit() or (lookups.area_codes and code not in lookups.area_codes)
    ]
    if unknown:
        known = "; ".join(sorted(lookups.area_codes, key=int)) or "số thứ tự lĩnh vực"
        raise ValidationError(
            f"Lĩnh vực «{'; '.join(unknown)}» không có trong bộ tiêu chí (các lĩnh vực: {known})."
        )
    return sorted(dict.fromkeys(codes), key=int)


def person_row_parse(values: dict, *, lookups: Lookups) -> PersonRow:
    """One row of the sheet, checked; a ValidationError maps each wrong column to why."""
    errors: dict[str, str] = {}
    full_name = cell(values, FULL_NAME)
    email = cell(values, EMAIL).lower()
    phone = cell(values, PHONE)
    username = cell(values, USERNAME)
    if not full_name:
        errors[FULL_NAME] = "Thiếu họ và tên."
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors[EMAIL] = f"Email «{email}» không hợp lệ."
    if phone and not PHONE_RE.match(phone):
        errors[PHONE] = f"Số điện thoại «{phone}» không hợp lệ (chỉ chữ số, 9–20 ký tự)."
    if username and not USERNAME_RE.match(username):
        errors[USERNAME] = (
            f"Tên đăng nhập «{username}» chỉ được gồm chữ, số và các ký tự . @ + - _."
        )
    if not username and not email and FULL_NAME not in errors:
        errors[EMAIL] = "Cần email hoặc tên đăng nhập để tạo tài khoản."
    role = lookups.roles.get(words(cell(values, ROLE)))
    if role is None:
        choices = "; ".join(r.label for r in R)
        typed = cell(values, ROLE)
        errors[ROLE] = (
            f"Vai trò «{typed}» không có; ghi một trong: {choices}."
            if typed
            else f"Thiếu vai trò; ghi một trong: {choices}."
        )
    unit = None
    unit_text = cell(values, UNIT)
    if unit_text:
        try:
            unit = _unit(unit_text, lookups)
        except ValidationError as error:
            errors[UNIT] = error.messages[0]
    elif role in ROLES_WITH_UNIT:
        errors[UNIT] = f"Vai trò «{R(role).label}» cần đơn vị công tác."
    try:
        areas = _areas(cell(values, AREAS), role, lookups)
    except ValidationError as error:
        errors[AREAS] = error.messages[0]
        areas = []
    if errors:
        raise ValidationError(errors)
    return PersonRow(
        username=username or email,
        full_name=full_name,
        email=email,
        phone=phone,
        unit=unit,
        role=role,
        areas=areas,
        username_given=bool(username),
    )


def person_find(person: PersonRow):
    """The account a row means: by the username typed, else by its email (an account
    created from an email has it as its username)."""
    User = get_user_model()
    user = User.objects.filter(username=person.username).first()
    if user is None and not person.username_given:
        user = User.objects.filter(email__iexact=person.email).first()
    return user


def person_conflicts(person: PersonRow, user) -> dict[str, str]:
    """A row that would take another account's email."""
    if not person.email:
        return {}
    other = (
        get_user_model()
        .objects.filter(email__iexact=person.email)
        .exclude(pk=user.pk if user else None)
        .first()
    )
    if other is None:
        return {}
    return {EMAIL: f"Email «{person.email}» đã là của tài khoản «{other.username}»."}


def _split_name(full_name: str) -> tuple[str, str]:
    """Vietnamese names, family first: the last word is the given name."""
    family, _, given = full_name.rpartition(" ")
    return family, given


def person_save(*, person: PersonRow, by) -> tuple[Membership, bool]:
    """Create or update the account, its profile and its membership; returns the
    membership and whether the account is new (a new account has no usable password and
    must set its own)."""
    User = get_user_model()
    user = person_find(person)
    created = user is None
    family, given = _split_name(person.full_name)
    if created:
        user = User(username=person.username)
        user.set_unusable_password()
    before = {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
    }
    user.last_name, user.first_name, user.email = family, given, person.email
    user.save()
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"must_set_password": created})
    profile_before = {"phone": profile.phone, "areas": profile.areas}
    profile.phone, profile.areas = person.phone, "; ".join(person.areas)
    profile.save(update_fields=["phone", "areas"])
    membership, membership_created = Membership.objects.get_or_create(
        user=user, role=person.role, unit=person.unit
    )
    # Blank is "nothing" on both sides, as the audit page shows it.
    values = {name: (old, getattr(user, name)) for name, old in before.items()}
    values |= {name: (old, getattr(profile, name)) for name, old in profile_before.items()}
    changes = {
        name: (None if created else old or None, new or None) for name, (old, new) in values.items()
    }
    if membership_created:
        changes["membership"] = (None, str(membership))
    if created or any(old != new for old, new in changes.values()):
        audit_record(
            actor=by,
            action="person_import_add" if created else "person_import_change",
            obj=user,
            unit_code=person.unit.code if person.unit else "",
            changes=changes,
            note=f"tài khoản: {user.username}",
        )
    return membership, created
