from django.http import JsonResponse
from rest_framework.decorators import api_view
from rest_framework.response import Response


def health(request):
    """Database, broker and worker liveness, each on its own (labelstudio/core/health.py): 503
    when the database or the broker is down, "UP" with worker DOWN and a warning when no worker is alive."""
    from .health import health_report

    report, status = health_report()
    return JsonResponse(report, status=status)


@api_view(["GET"])
def version(request):
    """Label Studio's /api/version: its SDK reads ``edition`` to pick the export path
    ("Community" = the direct streaming download, which we serve)."""
    return Response({"release": "1.0.0", "edition": "Community", "backend": {"name": "labelstudio"}})
