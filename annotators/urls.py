"""Routes: ``api_urlpatterns`` are mounted under /api/, ``urlpatterns`` are pages.
Every API path works with and without the trailing slash, as Label Studio's do."""

from django.urls import path, re_path

from . import api_bulk, api_completions, api_drafts, api_queue, api_review, api_stats, views
from .people import api as people_api
from .people import views as people_views


def _path(pattern: str, view, name: str):
    return re_path(rf"^{pattern}/?$", view.as_view(), name=name)


api_urlpatterns = [
    _path(r"tasks/(?P<task_id>\d+)/annotations", api_completions.TaskCompletionsView, "task-annotations"),
    _path(r"tasks/(?P<task_id>\d+)/drafts", api_drafts.TaskDraftsView, "task-drafts"),
    _path(r"tasks/(?P<task_id>\d+)/lock", api_queue.TaskLockView, "task-lock"),
    _path(r"annotations/bulk", api_bulk.CompletionBulkCreate, "annotation-bulk"),
    _path(r"annotations/bulk-delete", api_bulk.CompletionBulkDelete, "annotation-bulk-delete"),
    _path(r"tasks/(?P<task_id>\d+)/lock/release", api_queue.TaskLockReleaseView, "task-lock-release"),
    _path(r"annotations/(?P<pk>\d+)", api_completions.CompletionDetailView, "annotation-detail"),
    _path(r"annotations/(?P<pk>\d+)/review", api_review.CompletionReviewView, "annotation-review"),
    _path(r"annotations/(?P<pk>\d+)/history", api_review.CompletionHistoryView, "annotation-history"),
    _path(r"annotations/(?P<pk>\d+)/ground-truth", api_review.CompletionGroundTruthView, "annotation-ground-truth"),
    _path(r"drafts", api_drafts.DraftListView, "draft-list"),
    _path(r"drafts/(?P<pk>\d+)", api_drafts.DraftDetailView, "draft-detail"),
    _path(r"projects/(?P<pk>\d+)/next", api_queue.NextTaskView, "project-next"),
    _path(r"projects/(?P<pk>\d+)/annotations", api_completions.ProjectCompletionList, "project-annotations"),
    _path(r"projects/(?P<pk>\d+)/review-queue", api_review.ReviewQueueView, "project-review-queue"),
    _path(r"projects/(?P<pk>\d+)/assignments", api_queue.AssignmentsView, "project-assignments"),
    _path(r"projects/(?P<pk>\d+)/quality-settings", api_queue.QualitySettingsView, "project-quality-settings"),
    _path(r"projects/(?P<pk>\d+)/agreement", api_stats.AgreementView, "project-agreement"),
    _path(r"projects/(?P<pk>\d+)/stats", api_stats.StatsView, "project-stats"),
    # people (Label Studio's paths)
    _path(r"users", people_api.UserListView, "user-list"),
    _path(r"users/(?P<pk>\d+)", people_api.UserDetailView, "user-detail"),
    _path(r"current-user", people_api.CurrentUserView, "current-user"),
    _path(r"current-user/whoami", people_api.WhoAmIView, "whoami"),
    _path(r"current-user/token", people_api.TokenView, "current-user-token"),
    _path(r"current-user/reset-token", people_api.ResetTokenView, "current-user-reset-token"),
    _path(r"current-user/hotkeys", people_api.HotkeysView, "current-user-hotkeys"),
    _path(r"organizations", people_api.OrganizationListView, "organization-list"),
    _path(r"organizations/(?P<pk>\d+)", people_api.OrganizationDetailView, "organization-detail"),
    _path(r"organizations/(?P<pk>\d+)/memberships", people_api.MembershipListView, "organization-memberships"),
    _path(r"invite", people_api.InviteView, "invite"),
    _path(r"invite/reset-token", people_api.InviteResetTokenView, "invite-reset-token"),
    _path(r"invite/revoke", people_api.InviteRevokeView, "invite-revoke"),
    _path(r"invite/send-email", people_api.InviteSendEmailView, "invite-send-email"),
]
urlpatterns = [
    path("projects/<int:pk>/label/", views.label_stream, name="label-stream-page"),
    path("projects/<int:pk>/tasks/<int:task_id>/compare/", views.compare, name="compare-page"),
    path("projects/<int:pk>/review/", views.review_queue, name="review-page"),
    path("projects/<int:pk>/dashboard/", views.dashboard, name="dashboard-page"),
    *people_views.urlpatterns,
]
