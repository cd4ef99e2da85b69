"""Admin for areas, agencies, inspections and who is who: for site operators only.

Only superusers use the admin (jtai_tracker/admin.py); plan managers work in the app.
"""

from django.contrib import admin

from .models import (
    Agency,
    Area,
    BoardMeeting,
    Finding,
    Inspection,
    Inspectorate,
    Membership,
    MembershipChange,
)
from .people.services import record_admin_edit


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership_name"]
    search_fields = ["name"]
    filter_horizontal = ["agencies"]


@admin.register(Inspectorate)
class InspectorateAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


class FindingInline(admin.StackedInline):
    model = Finding
    extra = 0
    fields = [("kind", "position"), "text", "agencies"]
    filter_horizontal = ["agencies"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "area", "kind", "theme", "letter_published", "statement_due"]
    list_filter = ["kind", "area"]
    search_fields = ["area__name", "theme"]
    filter_horizontal = ["inspectorates"]
    readonly_fields = ["statement_due_computed"]
    inlines = [FindingInline]
    fieldsets = [
        (None, {"fields": ["area", "kind", "theme", ("fieldwork_start", "fieldwork_end")]}),
        ("Inspectorates", {"fields": ["inspectorates"]}),
        (
            "Letter and statement of action",
            {
                "fields": [
                    "letter_published",
                    "report_received",
                    "statement_due_stated",
                    "statement_due_computed",
                ]
            },
        ),
    ]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["reference", "inspection", "short_text"]
    list_filter = ["kind", "inspection__area"]
    search_fields = ["text"]
    filter_horizontal = ["agencies"]

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:120]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Roles, for operators giving an area its first plan manager. Every change made here
    is recorded in the area's history of roles, as the People pages record theirs."""

    list_display = ["user", "role", "agency", "area"]
    list_filter = ["role", "area", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def save_model(self, request, obj, form, change):
        before = Membership.objects.get(pk=obj.pk).describe() if change else ""
        super().save_model(request, obj, form, change)
        record_admin_edit(obj, by=request.user, before=before)

    def delete_model(self, request, obj):
        before = obj.describe()
        super().delete_model(request, obj)
        record_admin_edit(obj, by=request.user, before=before, removed=True)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "agency", "area"):
            self.delete_model(request, membership)


@admin.register(MembershipChange)
class MembershipChangeAdmin(admin.ModelAdmin):
    """The history of roles: read-only, like every history."""

    list_display = ["created_at", "area", "actor_name", "action", "person_name"]
    list_filter = ["area", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BoardMeeting)
class BoardMeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "area", "title"]
    list_filter = ["area"]
    date_hierarchy = "date"
