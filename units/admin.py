from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from kernel.admin_audit import SECRET_TEXT, AuditedAdmin
from kernel.text import text_clean

from .models import Block, Membership, Unit

admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PersonAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin; its password page saves outside the change form, so it is
    audited here (without the password, of course)."""

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = self.get_object(request, id)
            self.audit(
                request,
                action="admin_password",
                obj=person,
                changes={"password": (SECRET_TEXT, "(đã đổi)")},
            )
        return response


class CleanTextForm(forms.ModelForm):
    """Text typed here is stored as the imports store it (NFC, no zero-width characters):
    a code pasted with a zero-width space must not become a second, invisible code."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = text_clean(value)
        return cleaned


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    form = CleanTextForm
    # A block's code and name print on the published ranking of every year it took part in;
    # its kind is the default kind of its units there, which their comparisons follow.
    year_path = "participation_set__year"
    frozen_fields = ("code", "name", "kind")
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = CleanTextForm
    # Units are shared by the years. Published pages, documents and archives know a unit by
    # its code, so the code is frozen once the unit took part in a published year; its name,
    # block and head are the latest known (each year keeps its own on the participation), so
    # correcting them changes no published page.
    year_path = "participations__year"
    frozen_fields = ("code",)
    unit_path = "code"
    list_display = ["code", "name", "block", "head_title", "head_name"]
    list_filter = ["block"]
    search_fields = ["code", "name", "head_name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    unit_path = "unit__code"
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "unit__name"]
    autocomplete_fields = ["unit"]
