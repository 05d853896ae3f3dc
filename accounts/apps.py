from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate

# The admin names apps by their verbose name; axes has none ("Axes" in English capitals).
AXES_NAME = "Đăng nhập sai và tài khoản bị khóa"
PERMISSION_WORDS = {"add": "thêm", "change": "sửa", "delete": "xóa", "view": "xem"}


def permissions_in_vietnamese(sender, using="default", **kwargs) -> int:
    """Django stores its built-in permissions' names in English ("Can add access attempt")
    and the admin shows them as stored: after each migrate, name them in Vietnamese
    ("Được thêm lần thử đăng nhập"). Idempotent; returns how many names changed."""
    from django.contrib.auth.models import Permission
    from django.utils import translation

    renamed = 0
    with translation.override("vi"):
        permissions = Permission.objects.using(using).filter(content_type__app_label=sender.label)
        for permission in permissions.select_related("content_type"):
            model_name = permission.content_type.model
            action = permission.codename.removesuffix(f"_{model_name}")
            if action not in PERMISSION_WORDS or permission.codename != f"{action}_{model_name}":
                continue  # a permission of the app's own, named by the app
            try:
                model = sender.get_model(model_name)
            except LookupError:  # a model since removed: its permission is left as it is
                continue
            name = f"Được {PERMISSION_WORDS[action]} {model._meta.verbose_name}"[:255]
            if permission.name != name:
                permission.name = name
                permission.save(update_fields=["name"])
                renamed += 1
    return renamed


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = AXES_NAME
        post_migrate.connect(permissions_in_vietnamese, dispatch_uid="accounts.permissions_vi")
        from accounts.services.mail import account_email
        from notifications.emails import ACCOUNT_EMAIL_COMPOSERS

        if account_email not in ACCOUNT_EMAIL_COMPOSERS:
            ACCOUNT_EMAIL_COMPOSERS.append(account_email)
