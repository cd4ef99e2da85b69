"""Admin for plans, sections and key tasks. Task history is read-only here."""

from django.contrib import admin

from inspections.admin import AreaScopedAdmin

from .models import (
    ActionEntry,
    ActionPlan,
    FutureAction,
    IntroParagraph,
    KeyTask,
    Lead,
    PlanSection,
    TaskUpdate,
)


class IntroParagraphInline(admin.StackedInline):
    model = IntroParagraph
    extra = 0


class PlanSectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0
    fields = ["position", "title", "whole_partnership"]
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(AreaScopedAdmin):
    area_path = "inspection__area_id"
    list_display = ["title", "inspection", "version_label", "status"]
    list_filter = ["status", "inspection__area"]
    search_fields = ["title"]
    inlines = [IntroParagraphInline, PlanSectionInline]
    fieldsets = [
        (None, {"fields": ["inspection", "title", "version_label", "status", "running_heading"]}),
        (
            "RAG labels",
            {
                "fields": [
                    "rag_red_label",
                    "rag_amber_label",
                    "rag_green_label",
                    "rag_unrated_label",
                ],
                "description": "The words this plan uses for each rating.",
            },
        ),
    ]


class KeyTaskInline(admin.TabularInline):
    model = KeyTask
    extra = 0
    fields = ["position", "description", "rag"]
    show_change_link = True


@admin.register(PlanSection)
class PlanSectionAdmin(AreaScopedAdmin):
    area_path = "plan__inspection__area_id"
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    filter_horizontal = ["agencies"]
    inlines = [KeyTaskInline]


class LeadInline(admin.TabularInline):
    model = Lead
    extra = 0
    filter_horizontal = ["agencies"]


class ActionEntryInline(admin.TabularInline):
    model = ActionEntry
    extra = 0
    fields = ["position", "text", "added_on", "added_by"]


class FutureActionInline(admin.TabularInline):
    model = FutureAction
    extra = 0
    fields = ["position", "text", "target_date", "status", "closed_on", "drop_reason"]


class TaskUpdateInline(admin.TabularInline):
    """History shown for reference; it can be neither changed nor deleted."""

    model = TaskUpdate
    extra = 0
    fields = ["created_at", "user_name", "agency_name", "rag_from", "rag_to", "reason", "changes"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(KeyTask)
class KeyTaskAdmin(AreaScopedAdmin):
    area_path = "section__plan__inspection__area_id"
    list_display = ["description", "section", "rag", "updated_at"]
    list_filter = ["rag", "section__plan"]
    search_fields = ["description", "success_measures"]
    filter_horizontal = ["findings"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    inlines = [LeadInline, ActionEntryInline, FutureActionInline, TaskUpdateInline]


@admin.register(TaskUpdate)
class TaskUpdateAdmin(AreaScopedAdmin):
    area_path = "task__section__plan__inspection__area_id"
    list_display = ["created_at", "task", "user_name", "agency_name", "rag_from", "rag_to"]
    list_filter = ["rag_to"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
