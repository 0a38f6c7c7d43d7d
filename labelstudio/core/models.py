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
    attempts = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["project", "kind", "-id"], name="job_project_kind_idx")]

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
