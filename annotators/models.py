"""Completion (Label Studio's "annotation"), task locks, drafts, manual assignments, and the
per-project quality settings (honeypots). The distribution rules live in services/distribution.py."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from labelstudio.core.models import TimeStampedModel


class Completion(TimeStampedModel):
    class Review(models.TextChoices):
        NONE = ""
        ACCEPTED = "accepted"
        REJECTED = "rejected"
        FIXED = "fixed"

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="completions")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="completions")
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions")
    result = models.JSONField(default=list, blank=True)
    was_cancelled = models.BooleanField(default=False, help_text="skipped")
    ground_truth = models.BooleanField(default=False)
    lead_time = models.FloatField(null=True, blank=True, help_text="seconds spent")
    version = models.PositiveIntegerField(default=1, help_text="optimistic concurrency")
    review_status = models.CharField(max_length=16, choices=Review.choices, default=Review.NONE, blank=True)
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parent_completion = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="corrections"
    )
    parent_prediction = models.ForeignKey(
        "ml_backends.Prediction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "completed_by"], name="completion_one_per_annotator"),
            models.UniqueConstraint(
                fields=["task"], condition=Q(ground_truth=True), name="completion_one_ground_truth"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "completed_by"], name="completion_project_user_idx"),
            models.Index(fields=["project", "updated_at"], name="completion_project_updated_idx"),
            # review queue: walk pending completions of a project in id order
            models.Index(fields=["project", "review_status", "id"], name="completion_project_review_idx"),
            # ground-truth tasks of a project (honeypots, accuracy)
            models.Index(fields=["project", "task"], condition=Q(ground_truth=True), name="completion_project_gt_idx"),
            # next task: the user's rejected completions come back to them first
            models.Index(
                fields=["project", "completed_by", "id"],
                condition=Q(review_status="rejected"),
                name="completion_rejected_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"completion {self.pk} of task {self.task_id}"


class TaskLock(models.Model):
    """One annotator holds a task while working on it; the lock expires."""

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="locks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_locks")
    expire_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="tasklock_unique")]
        # (task, expire_at): count a task's live locks from the index alone
        indexes = [models.Index(fields=["task", "expire_at"], name="tasklock_task_expire_idx")]

    def __str__(self) -> str:
        return f"lock on task {self.task_id} by {self.user_id} until {self.expire_at:%H:%M:%S}"


class Draft(TimeStampedModel):
    """Autosaved, unsubmitted work of one user on one task; deleted when they submit."""

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="drafts")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    completion = models.ForeignKey(
        Completion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
        help_text="the completion being edited, if the draft is an edit",
    )
    result = models.JSONField(default=list, blank=True)
    lead_time = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="draft_one_per_user")]

    def __str__(self) -> str:
        return f"draft of task {self.task_id} by {self.user_id}"


class TaskAssignment(models.Model):
    """Manual assignment: a task with assignments is only served to its assigned annotators."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="assignments")
    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="assignment_unique")]
        indexes = [models.Index(fields=["user", "project", "task"], name="assignment_user_project_idx")]

    def __str__(self) -> str:
        return f"task {self.task_id} assigned to {self.user_id}"


class QualitySettings(models.Model):
    """Per-project quality settings that Project doesn't carry (kept here so annotators owns them)."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="quality_settings")
    honeypot_share = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="share (0..1) of an annotator's tasks drawn from ground-truth tasks, scored against the truth",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "quality settings"

    def __str__(self) -> str:
        return f"quality settings of project {self.project_id}"


class ReviewEvent(models.Model):
    """One step of a completion's review history: rejected (with the comment and the result as it
    was rejected), accepted, resubmitted by its author (with the new result), corrected by a
    reviewer (the correction is a completion of its own, linked through ``correction``)."""

    class Action(models.TextChoices):
        ACCEPTED = "accepted"
        REJECTED = "rejected"
        RESUBMITTED = "resubmitted"
        CORRECTED = "corrected"

    completion = models.ForeignKey(Completion, on_delete=models.CASCADE, related_name="review_events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    comment = models.TextField(blank=True)
    result = models.JSONField(default=list, blank=True, help_text="the completion's result at this step")
    correction = models.ForeignKey(
        Completion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="corrected: the new completion",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["completion", "id"], name="reviewevent_completion_idx")]

    def __str__(self) -> str:
        return f"{self.action} completion {self.completion_id}"


from .people.models import Invite  # noqa: E402,F401  (the people package's model, registered with this app)
