"""Sở Nội vụ's accounts page in the admin: the people sheet imported (preview, then confirm)
and exported, activation links resent, one-time codes printed for offices without email."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import XLSX
from import_export.forms import ImportForm

from accounts.models import Account
from accounts.resources import PersonResource
from accounts.services.activation import activation_codes_issue, activation_send, code_display
from units.models import Membership


class PeopleImportForm(ImportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = "Tệp danh sách cán bộ (.xlsx)"
        self.fields["format"].label = "Định dạng"
        self.fields["resource"].label = "Mẫu"


@admin.register(Account)
class AccountAdmin(ImportExportModelAdmin):
    resource_classes = [PersonResource]
    formats = [XLSX]
    import_form_class = PeopleImportForm
    import_template_name = "accounts/admin/people_import.html"
    skip_export_form = True
    # Every row is audited by the service that writes it (accounts.services.people).
    skip_admin_log = True
    list_display = ("username", "full_name", "email", "roles", "activation")
    search_fields = ("username", "first_name", "last_name", "email")
    list_filter = ("profile__must_set_password", "memberships__role")
    actions = ["activation_resend", "activation_codes_print"]
    ordering = ("last_name", "first_name", "username")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # import-export puts its own (English) buttons here; ours say it in Vietnamese.
        self.change_list_template = "accounts/admin/account_change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("profile")

    def has_add_permission(self, request):
        return False  # accounts come from the people sheet (or Django's user page)

    def has_change_permission(self, request, obj=None):
        return False

    def has_activate_permission(self, request):
        return self.admin_site.has_permission(request)

    @admin.display(description="họ và tên")
    def full_name(self, user):
        return f"{user.last_name} {user.first_name}".strip()

    @admin.display(description="vai trò")
    def roles(self, user):
        return "; ".join(
            f"{m.get_role_display()}" + (f" – {m.unit.name}" if m.unit_id else "")
            for m in user.memberships.select_related("unit")
        )

    @admin.display(description="kích hoạt")
    def activation(self, user):
        profile = getattr(user, "profile", None)
        if profile is None or not profile.must_set_password:
            return "Đã kích hoạt" if user.has_usable_password() else "Chưa có mật khẩu"
        if profile.activation_code_expires:
            return "Chờ kích hoạt (đã in mã)"
        if profile.activation_sent_at:
            sent = profile.activation_sent_at.strftime("%d/%m/%Y %H:%M")
            return f"Chờ kích hoạt (thư gửi {sent})"
        return "Chờ kích hoạt"

    def get_export_queryset(self, request):
        users = super().get_export_queryset(request)
        return Membership.objects.filter(user__in=users)

    def get_export_filename(self, request, queryset, file_format):
        return f"can-bo.{file_format.get_extension()}"

    @admin.action(description="Gửi lại thư kích hoạt", permissions=["activate"])
    def activation_resend(self, request, queryset):
        sent = 0
        for user in queryset:
            try:
                activation_send(user=user, by=request.user)
                sent += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
        if sent:
            self.message_user(request, f"Đã gửi {sent} thư kích hoạt.", messages.SUCCESS)

    @admin.action(description="In mã kích hoạt (đơn vị không có email)", permissions=["activate"])
    def activation_codes_print(self, request, queryset):
        users = list(queryset.prefetch_related("memberships__unit"))
        issued = activation_codes_issue(users=users, by=request.user)
        if not issued:
            self.message_user(request, "Các tài khoản đã chọn đều đã kích hoạt.", messages.WARNING)
            return None
        rows = [
            {
                "user": user,
                "full_name": f"{user.last_name} {user.first_name}".strip(),
                "units": "; ".join(m.unit.name for m in user.memberships.all() if m.unit_id),
                "code": code_display(code),
            }
            for user, code in issued
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Mã kích hoạt tài khoản",
            "rows": rows,
            "activation_url": request.build_absolute_uri(reverse("accounts:activate_code")),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "accounts/admin/activation_codes.html", context)

    def add_success_message(self, result, request):
        totals = result.totals
        new_accounts = getattr(result, "new_accounts", [])
        with_email = sum(1 for user in new_accounts if user.email)
        text = (
            f"Đã nhập danh sách cán bộ: {totals['new']} vai trò mới, {totals['update']} "
            f"vai trò đã có (cập nhật thông tin); {len(new_accounts)} tài khoản mới, "
            f"{with_email} thư kích hoạt đã gửi."
        )
        self.message_user(request, text, messages.SUCCESS)
        if len(new_accounts) > with_email:
            self.message_user(
                request,
                f"{len(new_accounts) - with_email} tài khoản mới không có email: chọn chúng "
                "và dùng thao tác «In mã kích hoạt».",
                messages.WARNING,
            )

    def process_result(self, result, request):
        """The confirm found errors the preview did not (the data changed in between):
        nothing was written; say so and go back to the import page."""
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                "Không nhập được: dữ liệu đã thay đổi từ lúc xem trước. Không có gì được "
                "ghi; hãy tải tệp lên lại.",
                messages.ERROR,
            )
            info = self.get_model_info()
            return HttpResponseRedirect(reverse("admin:%s_%s_import" % info))
        return super().process_result(result, request)
