"""Admin for completions (with ground-truth and review actions), locks, drafts, assignments and
quality settings. Actions call the services, so the rules (one ground truth per task, reviewers
not reviewing themselves, comments on rejections) hold here too."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from labelstudio.core.admin import FastAdminMixin
from labelstudio.core.exceptions import ApplicationError

from . import services
from .models import Completion, Draft, Invite, QualitySettings, ReviewEvent, TaskAssignment, TaskLock


class ReviewStateFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("pending", "pending"), ("accepted", "accepted"), ("rejected", "rejected"), ("fixed", "fixed")]

    def queryset(self, request, queryset):
        from .selectors import filter_completions_by_review

        return filter_completions_by_review(queryset, self.value())


class ReviewEventInline(admin.TabularInline):
    """The completion's review history, read-only (written by the review services)."""

    model = ReviewEvent
    fk_name = "completion"
    fields = ["created_at", "action", "user", "comment", "correction"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Completion)
class CompletionAdmin(FastAdminMixin, admin.ModelAdmin):
    inlines = [ReviewEventInline]
    list_display = [
        "id",
        "task_id",
        "project",
        "completed_by",
        "was_cancelled",
        "ground_truth",
        "review_status",
        "version",
        "lead_time",
        "updated_at",
    ]
    list_filter = ["ground_truth", ReviewStateFilter, "was_cancelled", "project"]
    search_fields = ["=id", "=task__id", "completed_by__username", "review_comment"]
    list_select_related = ["project", "completed_by"]
    raw_id_fields = [
        "task",
        "project",
        "completed_by",
        "reviewed_by",
        "parent_completion",
        "parent_prediction",
        "import_job",
    ]
    readonly_fields = ["version", "ground_truth", "review_status", "reviewed_by", "created_at", "updated_at"]
    actions = ["mark_ground_truth", "unmark_ground_truth", "accept", "reject"]

    def get_search_results(self, request, queryset, search_term):
        """Digits search ids only (index lookups); words search usernames and review comments."""
        if search_term.strip().isdecimal():
            value = int(search_term)
            return queryset.filter(pk=value) | queryset.filter(task_id=value), False
        return super().get_search_results(request, queryset, search_term)

    def _run(self, request, fn, done: str):
        try:
            n = fn()
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, f"{n} completion(s) {done}", messages.SUCCESS)

    @admin.action(description="Mark as ground truth (one per task)")
    def mark_ground_truth(self, request, queryset):
        self._run(
            request,
            lambda: services.completions_mark_ground_truth(completions=queryset, user=request.user, value=True),
            "marked as ground truth",
        )

    @admin.action(description="Unmark ground truth")
    def unmark_ground_truth(self, request, queryset):
        self._run(
            request,
            lambda: services.completions_mark_ground_truth(completions=queryset, user=request.user, value=False),
            "unmarked",
        )

    @admin.action(description="Accept (review)")
    def accept(self, request, queryset):
        self._run(
            request,
            lambda: services.completions_review(completions=queryset, reviewer=request.user, action="accept"),
            "accepted",
        )

    @admin.action(description="Reject with a comment (review)")
    def reject(self, request, queryset):
        """Asks for the comment the annotators will see, then rejects."""
        comment = request.POST.get("comment", "").strip()
        if request.POST.get("confirm") and comment:
            self._run(
                request,
                lambda: services.completions_review(
                    completions=queryset, reviewer=request.user, action="reject", comment=comment
                ),
                "rejected",
            )
            return None
        return TemplateResponse(
            request,
            "admin/annotators/completion_reject.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "completions": queryset[:200],
                "count": queryset.count(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "missing_comment": bool(request.POST.get("confirm")),
            },
        )


@admin.register(TaskLock)
class TaskLockAdmin(FastAdminMixin, admin.ModelAdmin):
    list_display = ["id", "task_id", "user", "expire_at"]
    search_fields = ["=task__id", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["task", "user"]


@admin.register(Draft)
class DraftAdmin(FastAdminMixin, admin.ModelAdmin):
    list_display = ["id", "task_id", "project", "user", "updated_at"]
    search_fields = ["=task__id", "user__username"]
    list_select_related = ["project", "user"]
    raw_id_fields = ["task", "project", "user", "completion"]


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(FastAdminMixin, admin.ModelAdmin):
    list_display = ["id", "task_id", "project", "user", "assigned_by", "created_at"]
    list_filter = ["project"]
    search_fields = ["=task__id", "user__username"]
    list_select_related = ["project", "user", "assigned_by"]
    raw_id_fields = ["task", "project", "user", "assigned_by"]


@admin.register(QualitySettings)
class QualitySettingsAdmin(admin.ModelAdmin):
    list_display = ["project", "honeypot_share", "updated_at"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ("id", "organization", "role", "email", "created_by", "created_at", "expires_at", "revoked_at")
    list_filter = ("role",)
    search_fields = ("email",)
    raw_id_fields = ("created_by",)
    exclude = ("token",)  # a link is shown on the people page, not in the admin
