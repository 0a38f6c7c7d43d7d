"""Media uploads, zip / tar.gz archives and their limits."""

import io
import tarfile

import pytest
from rest_framework.test import APIClient

from labelstudio.core.exceptions import ApplicationError
from tests import factories
from tests.conftest import client_for
from tests.tasks.importers.conftest import snapshot, tar_gz_bytes, upload, zip_bytes

IMAGE_CONFIG = (
    '<View><Image name="img" value="$image"/>'
    '<RectangleLabels name="box" toName="img"><Label value="cat"/></RectangleLabels></View>'
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def image_project(manager):
    return factories.make_project(created_by=manager, label_config=IMAGE_CONFIG)


@pytest.fixture
def existing(project):
    factories.make_task(project, {"text": "already here"})
    return snapshot(project)


def test_media_files_become_tasks_pointing_at_the_stored_file(image_project, run_import, manager, annotator):
    job = run_import(image_project, files=[upload("cat one.png", PNG), upload("../../dog.JPG", PNG)])
    assert job.status == "succeeded", job.error
    urls = list(image_project.tasks.order_by("id").values_list("data__image", flat=True))
    base = f"/data/upload/{image_project.pk}/{job.pk}/"
    assert urls == [base + "cat_one.png", base + "dog.JPG"]
    response = client_for(manager).get(urls[0])
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Security-Policy"] == "sandbox"
    assert client_for(annotator).get(urls[0]).status_code == 404  # not a member
    assert APIClient().get(urls[0]).status_code in (401, 403, 404)
    assert client_for(manager).get(f"/data/upload/{image_project.pk}/{job.pk}/../../secret.png").status_code == 404


def test_media_file_must_suit_the_object_tag(image_project, run_import):
    job = run_import(image_project, files=[upload("song.mp3", b"ID3")])
    assert job.status == "failed"
    assert "song.mp3, image: this is an audio file, which <Image> cannot show" in job.error
    assert image_project.tasks.count() == 0


def test_text_files_as_media_for_url_text(manager, run_import):
    project = factories.make_project(
        created_by=manager,
        label_config=(
            '<View><Text name="t" value="$doc" valueType="url"/><Choices name="c" toName="t"><Choice value="x"/>'
            "</Choices></View>"
        ),
    )
    job = run_import(project, files=[upload("a.txt", "whole document\nline two"), upload("b.html", "<p>x</p>")])
    assert job.status == "failed"  # HTML is not for <Text>
    assert "b.html, doc: this is a html file, which <Text> cannot show" in job.error
    job = run_import(project, files=[upload("a.txt", "whole document\nline two")])
    assert job.status == "succeeded", job.error
    assert project.tasks.get().data == {"doc": f"/data/upload/{project.pk}/{job.pk}/a.txt"}


def test_zip_with_task_files_and_media(image_project, run_import):
    archive = zip_bytes(
        {
            "set/a.json": '[{"image": "https://example.org/1.png"}]',
            "set/pics/b.png": PNG,
            "__MACOSX/._b.png": b"junk",
            "c.csv": "image\nhttps://example.org/2.png\n",
        }
    )
    job = run_import(image_project, files=[upload("data.zip", archive)])
    assert job.status == "succeeded", job.error
    urls = list(image_project.tasks.order_by("id").values_list("data__image", flat=True))
    assert urls == [
        "https://example.org/1.png",
        f"/data/upload/{image_project.pk}/{job.pk}/data.zip.d/set/pics/b.png",
        "https://example.org/2.png",
    ]


def test_tar_gz(project, run_import):
    archive = tar_gz_bytes({"one.json": '[{"text": "from tar"}]', "two.txt": "a\nb\n"})
    job = run_import(project, files=[upload("data.tar.gz", archive)])
    assert job.status == "succeeded", job.error
    assert list(project.tasks.order_by("id").values_list("data__text", flat=True)) == ["from tar", "a", "b"]


def test_errors_in_archive_members_name_the_member(project, run_import, existing):
    job = run_import(project, files=[upload("d.zip", zip_bytes({"in/t.json": '[{"text": "a"},\n{"nope": 1}]'}))])
    assert job.status == "failed" and "d.zip/in/t.json, row 2, text: data key 'text' is missing" in job.error
    assert snapshot(project) == existing


@pytest.mark.parametrize("member", ["../evil.json", "a/../../evil.json", "/etc/evil.json", "..\\evil.json"])
def test_zip_path_traversal(project, run_import, existing, member, settings):
    archive = zip_bytes({"ok.json": '[{"text": "a"}]', member: '[{"text": "evil"}]'})
    job = run_import(project, files=[upload("t.zip", archive)])
    assert job.status == "failed"
    assert f"archive member name '{member}' points outside the archive; nothing was imported" in job.error
    assert snapshot(project) == existing
    assert not list(settings.DATA_DIR.glob("**/evil.json"))


def test_tar_links_are_refused(project, run_import, existing):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        info = tarfile.TarInfo("link.json")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(info)
    job = run_import(project, files=[upload("l.tar.gz", buf.getvalue())])
    assert job.status == "failed" and "link or a special file" in job.error
    assert snapshot(project) == existing


def test_archive_over_the_size_cap(project, run_import, existing, settings):
    settings.IMPORT_MAX_ARCHIVE_BYTES = 10_000
    archive = zip_bytes({"big.json": '[{"text": "' + "x" * 20_000 + '"}]'})
    job = run_import(project, files=[upload("big.zip", archive)])
    assert job.status == "failed"
    assert "big.zip: archives expand to more than 9.8 KiB, the limit; nothing was imported" in job.error
    assert snapshot(project) == existing


def test_zip_bomb_ratio(project, run_import, existing, settings):
    settings.IMPORT_MAX_ARCHIVE_RATIO = 20
    archive = zip_bytes({"bomb.txt": "a" * 3_000_000})
    job = run_import(project, files=[upload("bomb.zip", archive)])
    assert job.status == "failed" and "expands more than 20 times its size" in job.error
    assert snapshot(project) == existing


def test_too_many_files(project, run_import, existing, settings):
    settings.IMPORT_MAX_FILES = 3
    archive = zip_bytes({f"{i}.txt": f"line {i}\n" for i in range(5)})
    job = run_import(project, files=[upload("many.zip", archive)])
    assert job.status == "failed" and "more than 3 files" in job.error
    assert snapshot(project) == existing


def test_archive_in_archive_and_corrupt_archive(project, run_import, existing):
    inner = zip_bytes({"a.json": '[{"text": "a"}]'})
    job = run_import(project, files=[upload("outer.zip", zip_bytes({"inner.zip": inner}))])
    assert "outer.zip/inner.zip: archives inside archives are not imported" in job.error
    job = run_import(project, files=[upload("bad.zip", b"PK\x03\x04 not really a zip")])
    assert job.status == "failed" and "bad.zip: the archive cannot be read" in job.error
    assert snapshot(project) == existing


def test_file_size_limit(project, run_import, existing, settings):
    from labelstudio.core.exceptions import ApplicationError

    settings.IMPORT_MAX_FILE_BYTES = 100
    with pytest.raises(ApplicationError, match="more than the limit of 100 bytes"):
        run_import(project, files=[upload("big.json", '[{"text": "' + "x" * 200 + '"}]')])
    assert snapshot(project) == existing


def test_archive_members_with_the_same_safe_name_stay_apart(image_project, run_import, data_dir):
    archive = zip_bytes({"a b.png": PNG + b"1", "a_b.png": PNG + b"2"})
    job = run_import(image_project, files=[upload("pics.zip", archive)])
    assert job.status == "succeeded", job.error
    urls = list(image_project.tasks.order_by("id").values_list("data__image", flat=True))
    assert len(set(urls)) == 2
    stored = [(data_dir / "uploads" / url.removeprefix("/data/upload/")).read_bytes() for url in urls]
    assert stored == [PNG + b"1", PNG + b"2"]


SERIES_URL = (
    '<View><TimeSeriesLabels name="l" toName="ts"><Label value="Run"/></TimeSeriesLabels>'
    '<TimeSeries name="ts" value="$csv" valueType="url" timeColumn="t"><Channel column="a"/></TimeSeries></View>'
)


def test_csv_and_tsv_are_one_series_task_each_for_url_timeseries(manager, annotator, run_import):
    from projects.services import membership_set

    project = factories.make_project(created_by=manager, label_config=SERIES_URL)
    membership_set(project=project, user=annotator, role="annotator")
    job = run_import(project, files=[upload("s.csv", "t,a\n0,1\n1,2\n2,3\n"), upload("w.tsv", "t\ta\n0\t5\n")])
    assert job.status == "succeeded", job.error
    data = sorted(t.data["csv"] for t in project.tasks.all())
    assert data == [f"/data/upload/{project.pk}/{job.pk}/s.csv", f"/data/upload/{project.pk}/{job.pk}/w.tsv"]
    served = client_for(annotator).get(data[0])  # the stored file is served to members, not deleted
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"t,a\n0,1\n1,2\n2,3\n"
    assert APIClient().get(data[0]).status_code in (401, 403, 404)
    # Label Studio's files_as_tasks_list=true: the CSV holds tasks (here one row naming a series URL)
    job = run_import(
        project, files=[upload("list.csv", "csv\nhttps://example.com/s.csv\n")], options={"files_as_tasks_list": "true"}
    )
    assert job.status == "succeeded", job.error
    assert project.tasks.filter(data__csv="https://example.com/s.csv").count() == 1
    with pytest.raises(ApplicationError, match="files_as_tasks_list must be true or false"):
        run_import(project, files=[upload("x.csv", "csv\n")], options={"files_as_tasks_list": "maybe"})
    # without a url TimeSeries a CSV is still a file of tasks
    inline = factories.make_project(created_by=manager, label_config=SERIES_URL.replace(' valueType="url"', ""))
    job = run_import(inline, files=[upload("rows.csv", "csv\n{}\n")])
    assert "rows.csv, line 2, csv: data key 'csv' must be an object of columns" in job.error
