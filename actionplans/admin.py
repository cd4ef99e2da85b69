"""Admin for plans and sections, for site operators only (jtai_tracker/admin.py).

Key tasks and everything of theirs (leads, action to date, future actions, the history)
are read-only here, even for superusers: every change to a task is made through the
app's one writer (`services.record_update`) so that it is recorded, and nothing rewrites
what the history says. Operators can read them here to answer a question.
"""

from django.contrib import admin

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


class ReadOnlyMixin:
    """Shown for reference; it can be neither added, changed nor deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IntroParagraphInline(admin.StackedInline):
    model = IntroParagraph
    extra = 0


class PlanSectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0
    fields = ["position", "title", "whole_partnership"]
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "inspection", "version_label", "status"]
    list_filter = ["status", "inspection__area"]
    search_fields = ["title"]
    inlines = [IntroParagraphInline, PlanSectionInline]
    readonly_fields = ["rag_blue_enabled"]
    fieldsets = [
        (None, {"fields": ["inspection", "title", "version_label", "status", "running_heading"]}),
        (
            "RAG labels",
            {
                "fields": [
                    "rag_red_label",
                    "rag_amber_label",
                    "rag_green_label",
                    "rag_blue_enabled",
                    "rag_blue_label",
                    "rag_unrated_label",
                ],
                "description": "The words this plan uses for each rating. The fourth "
                "colour is turned on and off on the plan's details page in the app, which "
                "refuses to turn it off while a key task is rated blue.",
            },
        ),
    ]


class KeyTaskInline(ReadOnlyMixin, admin.TabularInline):
    model = KeyTask
    extra = 0
    fields = ["position", "description", "rag"]
    show_change_link = True


@admin.register(PlanSection)
class PlanSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    filter_horizontal = ["agencies"]
    inlines = [KeyTaskInline]


class LeadInline(ReadOnlyMixin, admin.TabularInline):
    model = Lead
    extra = 0


class ActionEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = ActionEntry
    extra = 0
    fields = ["position", "text", "added_on", "added_by"]


class FutureActionInline(ReadOnlyMixin, admin.TabularInline):
    model = FutureAction
    extra = 0
    fields = ["position", "text", "target_date", "status", "closed_on", "drop_reason"]


class TaskUpdateInline(ReadOnlyMixin, admin.TabularInline):
    model = TaskUpdate
    extra = 0
    fields = ["created_at", "user_name", "agency_name", "rag_from", "rag_to", "reason", "changes"]


@admin.register(KeyTask)
class KeyTaskAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["description", "section", "rag", "updated_at"]
    list_filter = ["rag", "section__plan"]
    search_fields = ["description", "success_measures"]
    inlines = [LeadInline, ActionEntryInline, FutureActionInline, TaskUpdateInline]


@admin.register(TaskUpdate)
class TaskUpdateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "task", "user_name", "agency_name", "rag_from", "rag_to"]
    list_filter = ["rag_to"]
    date_hierarchy = "created_at"
