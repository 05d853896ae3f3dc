"""One demo login per role (DEBUG / demo installations only)."""

from django.contrib.auth import get_user_model

from units.models import Membership, Unit

from .haiphong.units import UNIT_BY_KEY

DEMO_PASSWORD = "parindex-demo"

# The admin's own login: staff and superuser, for the admin's tasks at /quan-tri/ only. No
# person who works in the year (Sở Nội vụ's officer included) is a superuser, which would
# pass every role check of the application (appraise a leaf, publish).
ADMIN_USERNAME = "quantri"
ADMIN_LABEL = "Quản trị hệ thống (/quan-tri/)"

NOI_VU, Y_TE, TU_PHAP = (UNIT_BY_KEY[key].code for key in ("NV", "YT", "TP"))
WARD, COMMUNE = UNIT_BY_KEY["P4"].code, UNIT_BY_KEY["X3"].code  # phường Ngô Quyền, xã An Lão

# username, full name, role (None: the admin's login), unit code, admin (staff + superuser).
# Hải Phòng's units (DOMAIN §8), where the year in progress is.
DEMO_USERS = [
    ("noivu", "Nguyễn Thị Lan", Membership.Role.HOME_AFFAIRS, NOI_VU, False),
    ("canbo.yte", "Trần Văn Minh", Membership.Role.UNIT_OFFICER, Y_TE, False),
    ("thutruong.yte", "Phạm Quốc Hùng", Membership.Role.UNIT_HEAD, Y_TE, False),
    ("thamdinh.tuphap", "Lê Thu Hà", Membership.Role.APPRAISER, TU_PHAP, False),
    ("totruong", "Vũ Đức Anh", Membership.Role.SECRETARIAT_LEAD, NOI_VU, False),
    ("canbo.phuong", "Lương Thị Hoa", Membership.Role.UNIT_OFFICER, WARD, False),
    ("chutich.xa", "Bùi Văn Thắng", Membership.Role.UNIT_HEAD, COMMUNE, False),
    ("hoidong", "Đỗ Mạnh Cường", Membership.Role.COUNCIL, None, False),
    (ADMIN_USERNAME, "Đào Minh Tuấn", None, None, True),
]


def role_label(role: str | None) -> str:
    return Membership.Role(role).label if role else ADMIN_LABEL


def demo_users_create() -> list[tuple[str, str, str]]:
    """Create the demo logins, or reset them: names, roles and the password DEMO_PASSWORD.
    Setting a password ends every session of that user. Returns (username, role label,
    unit) rows."""
    User = get_user_model()
    rows = []
    for username, full_name, role, unit_code, admin in DEMO_USERS:
        last_name, _, first_name = full_name.rpartition(" ")
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first_name, last_name
        user.is_staff = user.is_superuser = admin
        user.set_password(DEMO_PASSWORD)
        user.save()
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        # A demo login has its one role: the old demo's (Hải Dương's units) goes.
        user.memberships.exclude(role=role, unit=unit).delete()
        if role:
            Membership.objects.get_or_create(user=user, role=role, unit=unit)
        rows.append((username, role_label(role), unit.name if unit else "–"))
    return rows


def demo_logins() -> list[tuple[str, str, str]]:
    """The demo logins as (username, role label, unit) rows, read only: nothing is created
    or changed. A login this database does not have yet says so."""
    existing = set(
        get_user_model()
        .objects.filter(username__in=[row[0] for row in DEMO_USERS])
        .values_list("username", flat=True)
    )
    units = dict(
        Unit.objects.filter(code__in=[row[3] for row in DEMO_USERS if row[3]]).values_list(
            "code", "name"
        )
    )
    rows = []
    for username, _full_name, role, unit_code, _admin in DEMO_USERS:
        unit = units.get(unit_code, unit_code) if unit_code else "–"
        if username not in existing:
            unit += " (chưa có tài khoản: chạy load_demo)"
        rows.append((username, role_label(role), unit))
    return rows
