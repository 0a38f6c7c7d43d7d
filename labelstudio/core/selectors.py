from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from .models import Job


def job_list_for(user: User) -> QuerySet[Job]:
    """Jobs of projects the user belongs to, and the user's own project-less jobs."""
    qs = Job.objects.select_related("created_by")
    if user.is_superuser:
        return qs
    return qs.filter(Q(project__memberships__user=user) | Q(project__isnull=True, created_by=user))
