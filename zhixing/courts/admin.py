"""
Django admin for configuration data: courts, departments, team kinds, teams, people and roles.

Nothing is deleted here (history stays); rows with rules of their own are created through their
services, simple edits through ``config_object_save``; every save is audited.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone

from zhixing.courts import selectors, services
from zhixing.courts.choices import CHILD_LEVEL, CourtLevel
from zhixing.courts.models import Court, Department, Membership, Team, TeamKind, User
from zhixing.courts.rules import court_code_problem

admin.site.site_header = "执行案件流程信息管理系统 · 配置管理"
admin.site.site_title = "执行 · 配置管理"
admin.site.index_title = "配置数据"


class AuditedAdmin(admin.ModelAdmin):
    """Save through the audited service; never delete."""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.config_object_save(
            obj=obj, changed_fields=list(form.changed_data), is_new=not change, actor=request.user, at=timezone.now()
        )


class CourtAdminForm(forms.ModelForm):
    """Check the level under the parent and the 法院代字 shape before the service runs."""

    class Meta:
        model = Court
        fields = ["code", "name", "short_name", "level", "parent", "is_active"]

    def clean(self):
        data = super().clean()
        if self.instance.pk or not data.get("code") or not data.get("level"):
            return data
        parent = data.get("parent")
        if parent is not None and CHILD_LEVEL.get(CourtLevel(parent.level)) != data["level"]:
            raise forms.ValidationError(f"{parent.name}（{parent.get_level_display()}）之下不能设立该层级的法院。")
        parent_code = parent.code if parent and parent.level != CourtLevel.SUPREME else None
        if problem := court_code_problem(code=data["code"].strip(), level=data["level"], parent_code=parent_code):
            self.add_error("code", problem)
        return data


class MembershipAdminForm(forms.ModelForm):
    """A membership, once granted, may only be given an end date."""

    class Meta:
        model = Membership
        fields = ["user", "court", "role", "team", "active_from", "active_to"]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            if not data.get("active_to"):
                self.add_error("active_to", "请填写终止日期（不含当日）。")
            return data
        if all(data.get(k) for k in ("user", "court", "role", "active_from")) and (
            conflict := selectors.membership_conflict(
                user=data["user"],
                court=data["court"],
                role=data["role"],
                active_from=data["active_from"],
                active_to=data.get("active_to"),
            )
        ):
            raise forms.ValidationError(conflict)
        return data


@admin.register(Court)
class CourtAdmin(AuditedAdmin):
    form = CourtAdminForm
    list_display = ["name", "code", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]

    def get_readonly_fields(self, request, obj=None):
        # The code, level and parent define the hierarchy and the case numbers: fixed once created.
        return ["path", "code", "level", "parent"] if obj else ["path"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = services.court_create(
            code=obj.code,
            name=obj.name,
            short_name=obj.short_name,
            level=obj.level,
            parent=obj.parent,
            actor=request.user,
            at=timezone.now(),
        )
        obj.pk, obj.path = created.pk, created.path
        return None


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "court"]
    list_filter = ["court"]


@admin.register(TeamKind)
class TeamKindAdmin(AuditedAdmin):
    list_display = ["name", "code", "sort_order", "description"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "court", "kind", "leader", "area", "is_active"]
    list_filter = ["court", "kind", "is_active"]
    search_fields = ["name", "area"]
    autocomplete_fields = ["leader"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "court", "role", "team", "active_from", "active_to"]
    list_filter = ["court", "role"]
    search_fields = ["user__name", "user__username"]
    autocomplete_fields = ["user"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # A membership is history: once granted only its end date may be set.
        return ["user", "court", "role", "team", "active_from"] if obj else []

    def save_model(self, request, obj, form, change):
        at = timezone.now()
        if change:
            current = Membership.objects.get(pk=obj.pk)
            services.membership_end(membership=current, active_to=obj.active_to, actor=request.user, at=at)
            return
        created = services.membership_grant(
            user=obj.user,
            court=obj.court,
            role=obj.role,
            team=obj.team,
            active_from=obj.active_from,
            active_to=obj.active_to,
            actor=request.user,
            at=at,
        )
        obj.pk = created.pk


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("name", "email")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "name", "password1", "password2")}),)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.config_object_save(
            obj=obj,
            changed_fields=[f for f in form.changed_data if f not in ("password", "password1", "password2")],
            is_new=not change,
            actor=request.user,
            at=timezone.now(),
        )


from zhixing.courts import admin_calendar  # noqa: E402, F401  (the read-only holiday table)
