"""Cross-app building blocks: timestamps and the background Job row."""

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Job(models.Model):
    """Background work (import, export, pre-labeling, training): a row first, then a Celery task
    that receives only the row's id. The UI and the API read progress from here."""

    class Kind(models.TextChoices):
        IMPORT = "import"
        EXPORT = "export"
        PRELABEL = "prelabel"
        TRAIN = "train"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        CANCELLED = "cancelled"
        # an attempt's outcome (attempt_log), never a row's: a newer attempt of the same job owns it
        SUPERSEDED = "superseded"

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="jobs", null=True, blank=True
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.BigIntegerField(default=0)
    progress_total = models.BigIntegerField(default=0)
    params = models.JSONField(default=dict, blank=True, help_text="what was asked: format, options, source")
    result = models.JSONField(default=dict, blank=True, help_text="final counts and summary")
    error = models.TextField(blank=True, help_text="why the job failed, in one sentence")
    errors = models.JSONField(default=list, blank=True, help_text="itemised errors (file, row, key, message)")
    result_file = models.CharField(max_length=500, blank=True, help_text="path under the data dir")
    attempts = models.PositiveIntegerField(default=0, help_text="attempts claimed; the newest one owns the job")
    # Liveness and recovery (docs/reliability.md): the running attempt's worker beats here; the
    # reaper requeues a job whose beat went stale (at most JOB_MAX_REQUEUES times) or fails it.
    task_name = models.CharField(max_length=100, blank=True, help_text="the Celery task that runs the job")
    enqueued_at = models.DateTimeField(null=True, blank=True, help_text="when its message reached the broker")
    message_id = models.CharField(max_length=64, blank=True, help_text="its Celery message, to tell if it is lost")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=255, blank=True, help_text="host:pid of the running attempt")
    cancel_requested = models.BooleanField(default=False)
    requeues = models.PositiveIntegerField(default=0, help_text="times the reaper queued it again")
    attempt_log = models.JSONField(default=list, blank=True, help_text="how each attempt ended")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["project", "kind", "-id"], name="job_project_kind_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class Organization(models.Model):
    """The people who work together; every user and every project belongs to one
    (docs/permissions.md). One is made on first start."""

    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class OrganizationMember(models.Model):
    """One row per user: their organization, their role in it, and personal settings (phone,
    hotkeys) that Label Studio's user API carries."""

    class Role(models.TextChoices):
        OWNER = "owner"
        ADMINISTRATOR = "administrator"
        MANAGER = "manager"
        REVIEWER = "reviewer"
        ANNOTATOR = "annotator"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_member")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANNOTATOR)
    phone = models.CharField(max_length=64, blank=True)
    custom_hotkeys = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["organization", "role"], name="orgmember_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.organization_id}"


class OutboxMessage(models.Model):
    """A Celery message that could not be sent after its transaction committed (broker down).
    The reaper sends it later (labelstudio/core/outbox.py), so a saved write never loses its
    follow-up work and the client still gets its success answer."""

    task_name = models.CharField(max_length=100)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    tries = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"outbox {self.pk}: {self.task_name}"
