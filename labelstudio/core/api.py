"""/api/jobs/: progress and outcome of background work, and cancelling it."""

from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from projects.permissions import ProjectRole

from .jobs import job_cancel
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
