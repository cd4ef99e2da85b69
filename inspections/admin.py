"""Admin for areas, agencies, inspections and who is who: for site operators only.

Only superusers use the admin (jtai_tracker/admin.py); plan managers work in the app.
"""

from django.contrib import admin

from .models import Agency, Area, BoardMeeting, Finding, Inspection, Inspectorate, Membership


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
    list_display = ["user", "role", "agency", "area"]
    list_filter = ["role", "area", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(BoardMeeting)
class BoardMeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "area", "title"]
    list_filter = ["area"]
    date_hierarchy = "date"
