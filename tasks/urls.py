"""Routes: ``api_urlpatterns`` are mounted under /api/, ``urlpatterns`` are pages."""

from django.urls import path

from labelstudio.core.routers import OptionalSlashRouter, optional_slash

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

# export endpoints (tasks/api_export.py), on Label Studio's paths
P = "projects/<int:pk>"
export_urlpatterns = [
    optional_slash(f"{P}/export/formats", api_export.ExportFormats, "project-export-formats"),
    optional_slash(f"{P}/export", api_export.ExportDirect, "project-export"),
    optional_slash(f"{P}/exports", api_export.ExportListCreate, "project-exports"),
    optional_slash(f"{P}/exports/<int:export_id>", api_export.ExportDetail, "project-export-detail"),
    optional_slash(f"{P}/exports/<int:export_id>/download", api_export.ExportDownload, "project-export-download"),
    optional_slash(f"{P}/exports/<int:export_id>/convert", api_export.ExportConvert, "project-export-convert"),
    optional_slash(f"{P}/export-schedules", api_export.ScheduleListCreate, "project-export-schedules"),
    optional_slash(
        f"{P}/export-schedules/<int:schedule_id>", api_export.ScheduleDetail, "project-export-schedule-detail"
    ),
    optional_slash(
        f"{P}/export-schedules/<int:schedule_id>/run", api_export.ScheduleRun, "project-export-schedule-run"
    ),
    optional_slash(
        f"{P}/export-schedules/<int:schedule_id>/jobs", api_export.ScheduleJobs, "project-export-schedule-jobs"
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
    optional_slash("projects/<int:pk>/tasks", api.ProjectTaskList, name="project-tasks"),
    *export_urlpatterns,
    optional_slash("projects/<int:pk>/import", api_import.ProjectImport, name="project-import"),
    optional_slash("projects/<int:pk>/imports", api_import.ProjectImportList, name="project-imports"),
    optional_slash(
        "projects/<int:pk>/imports/<int:job_pk>", api_import.ProjectImportDetail, name="project-import-detail"
    ),
    optional_slash(
        "projects/<int:pk>/imports/<int:job_pk>/retry", api_import.ProjectImportRetry, name="project-import-retry"
    ),
    optional_slash("storages", ImportStorageList, name="import-storages"),
    optional_slash("storages/export", ExportStorageList, name="export-storages"),
    optional_slash("storages/types", ImportStorageTypes, name="import-storage-types"),
    optional_slash("storages/export/types", ExportStorageTypes, name="export-storage-types"),
    optional_slash("dm/views", api_dm.ViewList, name="dm-views"),
    optional_slash("dm/views/reset", api_dm.ViewReset, name="dm-views-reset"),
    optional_slash("dm/views/order", api_dm.ViewOrder, name="dm-views-order"),
    optional_slash("dm/views/<int:pk>", api_dm.ViewDetail, name="dm-view-detail"),
    optional_slash("dm/actions", api_dm.ActionList, name="dm-actions"),
    *router.urls,
]
urlpatterns = [
    path("data/local-files/", LocalFile.as_view(), name="local-file"),
    path("data/upload/<int:project_pk>/<path:path>", api_import.UploadedFile.as_view(), name="uploaded-file"),
    path("projects/<int:pk>/data/", views.data_manager, name="data-manager-page"),
    path("projects/<int:pk>/import/", views.import_page, name="import-page"),
    path("projects/<int:pk>/export/", views.export_page, name="export-page"),
]
