"""Routes: ``api_urlpatterns`` are mounted under /api/, ``urlpatterns`` are pages.
Every API path works with and without the trailing slash, as Label Studio's do."""

from django.urls import path

from labelstudio.core.routers import optional_slash

from . import api_bulk, api_completions, api_drafts, api_queue, api_review, api_stats, views
from .people import api as people_api
from .people import views as people_views

api_urlpatterns = [
    optional_slash("tasks/<int:task_id>/annotations", api_completions.TaskCompletionsView, "task-annotations"),
    optional_slash("tasks/<int:task_id>/drafts", api_drafts.TaskDraftsView, "task-drafts"),
    optional_slash("tasks/<int:task_id>/lock", api_queue.TaskLockView, "task-lock"),
    optional_slash("annotations/bulk", api_bulk.CompletionBulkCreate, "annotation-bulk"),
    optional_slash("labels/bulk", api_bulk.LabelBulkUpdate, "label-bulk"),
    optional_slash("annotations/bulk-delete", api_bulk.CompletionBulkDelete, "annotation-bulk-delete"),
    optional_slash("tasks/<int:task_id>/lock/release", api_queue.TaskLockReleaseView, "task-lock-release"),
    optional_slash("annotations/<int:pk>", api_completions.CompletionDetailView, "annotation-detail"),
    optional_slash("annotations/<int:pk>/review", api_review.CompletionReviewView, "annotation-review"),
    optional_slash("annotations/<int:pk>/history", api_review.CompletionHistoryView, "annotation-history"),
    optional_slash(
        "annotations/<int:pk>/ground-truth", api_review.CompletionGroundTruthView, "annotation-ground-truth"
    ),
    optional_slash("drafts", api_drafts.DraftListView, "draft-list"),
    optional_slash("drafts/<int:pk>", api_drafts.DraftDetailView, "draft-detail"),
    optional_slash("projects/<int:pk>/next", api_queue.NextTaskView, "project-next"),
    optional_slash("projects/<int:pk>/annotations", api_completions.ProjectCompletionList, "project-annotations"),
    optional_slash("projects/<int:pk>/review-queue", api_review.ReviewQueueView, "project-review-queue"),
    optional_slash("projects/<int:pk>/assignments", api_queue.AssignmentsView, "project-assignments"),
    optional_slash("projects/<int:pk>/quality-settings", api_queue.QualitySettingsView, "project-quality-settings"),
    optional_slash("projects/<int:pk>/agreement", api_stats.AgreementView, "project-agreement"),
    optional_slash("projects/<int:pk>/stats", api_stats.StatsView, "project-stats"),
    # people (Label Studio's paths)
    optional_slash("users", people_api.UserListView, "user-list"),
    optional_slash("users/<int:pk>", people_api.UserDetailView, "user-detail"),
    optional_slash("current-user", people_api.CurrentUserView, "current-user"),
    optional_slash("current-user/whoami", people_api.WhoAmIView, "whoami"),
    optional_slash("current-user/token", people_api.TokenView, "current-user-token"),
    optional_slash("current-user/reset-token", people_api.ResetTokenView, "current-user-reset-token"),
    optional_slash("current-user/hotkeys", people_api.HotkeysView, "current-user-hotkeys"),
    optional_slash("organizations", people_api.OrganizationListView, "organization-list"),
    optional_slash("organizations/<int:pk>", people_api.OrganizationDetailView, "organization-detail"),
    optional_slash("organizations/<int:pk>/memberships", people_api.MembershipListView, "organization-memberships"),
    optional_slash("invite", people_api.InviteView, "invite"),
    optional_slash("invite/reset-token", people_api.InviteResetTokenView, "invite-reset-token"),
    optional_slash("invite/revoke", people_api.InviteRevokeView, "invite-revoke"),
    optional_slash("invite/send-email", people_api.InviteSendEmailView, "invite-send-email"),
]
urlpatterns = [
    path("projects/<int:pk>/label/", views.label_stream, name="label-stream-page"),
    path("projects/<int:pk>/tasks/<int:task_id>/compare/", views.compare, name="compare-page"),
    path("projects/<int:pk>/review/", views.review_queue, name="review-page"),
    path("projects/<int:pk>/dashboard/", views.dashboard, name="dashboard-page"),
    *people_views.urlpatterns,
]
