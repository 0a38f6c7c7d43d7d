"""/api/jobs/: progress and outcome of background work, and cancelling it."""

from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from projects.permissions import ProjectRole

from .exceptions import ConflictError
from .jobs import job_cancel, job_retry
from .models import Job
from .selectors import job_list_for
from .serializers import JobSerializer


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Job.objects.none()  # for the schema (typed ids); get_queryset() decides
    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated, ProjectRole]
    write_roles = ("manager",)
    filterset_fields = ["project", "kind", "status"]

    def get_queryset(self):
        return job_list_for(self.request.user).order_by("-id")

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        job: Job = self.get_object()
        return Response(JobSerializer(job_cancel(job=job)).data)

    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Run a failed, cancelled or stuck job of any kind again (a new attempt; see
        docs/reliability.md). A succeeded or still queued job is refused with 409."""
        job: Job = self.get_object()
        if job.status == Job.Status.SUCCEEDED:
            raise ConflictError("this job succeeded; there is nothing to retry")
        if job.status == Job.Status.QUEUED:
            raise ConflictError("this job is queued and will run")
        return Response(JobSerializer(job_retry(job=job)).data)
