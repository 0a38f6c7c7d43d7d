"""A server directory belongs to one organization: another organization's local import storage,
local export storage or export schedule may not use it, nor a directory inside or around it
(tasks/storage/claims.py); the same organization may."""

import pytest

from labelstudio.core.exceptions import ApplicationError
from projects.services import membership_set
from tasks.exporters.schedules import schedule_check
from tasks.models import ExportSchedule, ExportStorage, LocalFilesImportStorage
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def roots(settings, tmp_path):
    settings.LOCAL_FILES_SERVING_ENABLED = True
    settings.LOCAL_FILES_DOCUMENT_ROOT = tmp_path / "docs"
    settings.EXPORT_LOCAL_ROOTS = [str(tmp_path / "out")]
    for folder in ("docs/b/inner", "docs/a", "out/b", "out/a"):
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path


@pytest.fixture
def b_project(roots):
    org = factories.make_organization("B")
    owner = factories.make_user("b_owner", org_role="owner", organization=org)
    project = factories.make_project(created_by=owner)
    LocalFilesImportStorage.objects.create(project=project, path="b")
    ExportStorage.objects.create(project=project, storage_type="localfiles", path="b")
    return project


@pytest.fixture
def a_manager(b_project):
    org = factories.make_organization("A")
    user = factories.make_user("a_manager", org_role="manager", organization=org)
    return user, factories.make_project(created_by=user)


@pytest.mark.parametrize("path", ["b", "b/inner", ".", "./b/../b"])
def test_another_organizations_import_directory_is_refused(a_manager, path):
    user, project = a_manager
    response = client_for(user).post("/api/storages/localfiles/", {"project": project.pk, "path": path}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "path"
    assert not LocalFilesImportStorage.objects.filter(project=project).exists()


def test_own_and_free_directories_are_accepted(a_manager, b_project):
    user, project = a_manager
    client = client_for(user)
    assert (
        client.post("/api/storages/localfiles/", {"project": project.pk, "path": "a"}, format="json").status_code == 201
    )
    out = client.post("/api/storages/export/localfiles/", {"project": project.pk, "path": "a"}, format="json")
    assert out.status_code == 201
    colleague = factories.make_user("b_manager", org_role="manager", organization=b_project.organization)
    membership_set(project=b_project, user=colleague, role="manager")
    same_org = client_for(colleague).post(
        "/api/storages/localfiles/", {"project": b_project.pk, "path": "b/inner"}, format="json"
    )
    assert same_org.status_code == 201


def test_another_organizations_export_directory_is_refused(a_manager):
    user, project = a_manager
    client = client_for(user)
    response = client.post("/api/storages/export/localfiles/", {"project": project.pk, "path": "b"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "path"
    schedule = ExportSchedule(project=project, title="s", target="local", local_path="b", interval_hours=1)
    with pytest.raises(ApplicationError) as refused:
        schedule_check(schedule)
    assert refused.value.extra["field"] == "local_path"
