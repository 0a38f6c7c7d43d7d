from django.db import connection
from django.http import JsonResponse
from rest_framework.decorators import api_view
from rest_framework.response import Response


def health(request):
    """Liveness for the start command and load balancers: answers once the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "UP"})


@api_view(["GET"])
def version(request):
    """Label Studio's /api/version: its SDK reads ``edition`` to pick the export path
    ("Community" = the direct streaming download, which we serve)."""
    return Response({"release": "1.0.0", "edition": "Community", "backend": {"name": "labelstudio"}})
