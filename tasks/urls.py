"""Routes: ``api_urlpatterns`` are mounted under /api/, ``urlpatterns`` are pages."""

from django.urls import path, re_path

from labelstudio.core.routers import OptionalSlashRouter

from . import api, api_dm, api_export, api_import, views
from .storage.api import S3ImportStorageViewSet
from .storage.api_export import (
    ExportStorageList,
    ExportStorageTypes,
    ImportStorageList,
    ImportStorageTypes,
    LocalFilesExportStorageViewSet,
    S3ExportStorageViewSet,
)
from .storage.api_local import LocalFile, LocalFilesImportStorageViewSet


def _export_route(suffix: str, view, name: str):
    """Label Studio's paths with or without the trailing slash."""
    return re_path(rf"^projects/(?P<pk>\d+)/{suffix}/?$", view.as_view(), name=name)


# export endpoints (tasks/api_export.py), on Label Studio's paths
export_urlpatterns = [
    _export_route("export/formats", api_export.ExportFormats, "project-export-formats"),
    _export_route("export", api_export.ExportDirect, "project-export"),
    _export_route("exports", api_export.ExportListCreate, "project-exports"),
    _export_route(r"exports/(?P<export_id>\d+)", api_export.ExportDetail, "project-export-detail"),
    _export_route(r"exports/(?P<export_id>\d+)/download", api_export.ExportDownload, "project-export-download"),
    _export_route(r"exports/(?P<export_id>\d+)/convert", api_export.ExportConvert, "project-export-convert"),
    _export_route("export-schedules", api_export.ScheduleListCreate, "project-export-schedules"),
    _export_route(
        r"export-schedules/(?P<schedule_id>\d+)", api_export.ScheduleDetail, "project-export-schedule-detail"
    ),
    _export_route(r"export-schedules/(?P<schedule_id>\d+)/run", api_export.ScheduleRun, "project-export-schedule-run"),
    _export_route(
        r"export-schedules/(?P<schedule_id>\d+)/jobs", api_export.ScheduleJobs, "project-export-schedule-jobs"
    ),
]

router = OptionalSlashRouter()
router.register("tasks", api.TaskViewSet, basename="task")
router.register("storages/s3", S3ImportStorageViewSet, basename="s3-import-storage")
router.register("storages/localfiles", LocalFilesImportStorageViewSet, basename="local-import-storage")
router.register("storages/export/s3", S3ExportStorageViewSet, basename="s3-export-storage")
router.register("storages/export/localfiles", LocalFilesExportStorageViewSet, basename="local-export-storage")

api_urlpatterns = [
    path("data/local-files/", LocalFile.as_view(), name="local-file"),
    path("projects/<int:pk>/tasks/", api.ProjectTaskList.as_view(), name="project-tasks"),
    path("projects/<int:pk>/tasks", api.ProjectTaskList.as_view()),
    *export_urlpatterns,
    path("projects/<int:pk>/import", api_import.ProjectImport.as_view(), name="project-import"),
    path("projects/<int:pk>/import/", api_import.ProjectImport.as_view()),
    path("projects/<int:pk>/imports", api_import.ProjectImportList.as_view(), name="project-imports"),
    path("projects/<int:pk>/imports/", api_import.ProjectImportList.as_view()),
    path(
        "projects/<int:pk>/imports/<int:job_pk>", api_import.ProjectImportDetail.as_view(), name="project-import-detail"
    ),
    path("projects/<int:pk>/imports/<int:job_pk>/", api_import.ProjectImportDetail.as_view()),
    path(
        "projects/<int:pk>/imports/<int:job_pk>/retry",
        api_import.ProjectImportRetry.as_view(),
        name="project-import-retry",
    ),
    path("projects/<int:pk>/imports/<int:job_pk>/retry/", api_import.ProjectImportRetry.as_view()),
    re_path(r"^storages/?$", ImportStorageList.as_view(), name="import-storages"),
    re_path(r"^storages/export/?$", ExportStorageList.as_view(), name="export-storages"),
    re_path(r"^storages/types/?$", ImportStorageTypes.as_view(), name="import-storage-types"),
    re_path(r"^storages/export/types/?$", ExportStorageTypes.as_view(), name="export-storage-types"),
    re_path(r"^dm/views/?$", api_dm.ViewList.as_view(), name="dm-views"),
    re_path(r"^dm/views/reset/?$", api_dm.ViewReset.as_view(), name="dm-views-reset"),
    re_path(r"^dm/views/order/?$", api_dm.ViewOrder.as_view(), name="dm-views-order"),
    re_path(r"^dm/views/(?P<pk>\d+)/?$", api_dm.ViewDetail.as_view(), name="dm-view-detail"),
    re_path(r"^dm/actions/?$", api_dm.ActionList.as_view(), name="dm-actions"),
    *router.urls,
]
urlpatterns = [
    path("data/local-files/", LocalFile.as_view(), name="local-file"),
    path("data/upload/<int:project_pk>/<path:path>", api_import.UploadedFile.as_view(), name="uploaded-file"),
    path("projects/<int:pk>/data/", views.data_manager, name="data-manager-page"),
    path("projects/<int:pk>/import/", views.import_page, name="import-page"),
    path("projects/<int:pk>/export/", views.export_page, name="export-page"),
]
