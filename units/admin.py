from django.contrib import admin

from .models import Block, Membership, Unit


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "block", "head_title", "head_name"]
    list_filter = ["block"]
    search_fields = ["code", "name", "head_name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "unit__name"]
    autocomplete_fields = ["unit"]
