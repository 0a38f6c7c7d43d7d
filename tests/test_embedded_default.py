"""Smoke test of the embedded default exactly as `make start` runs it: SQLite in a fresh data dir,
no Redis (filesystem broker), gunicorn plus a Celery worker started by `manage.py start`.
Create a project, import, export, stop."""

import json
import signal
import sys

import pytest
import requests

from tests.live import ROOT, Process, base_env, free_port, poll_job

pytestmark = pytest.mark.live

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""


@pytest.fixture
def embedded(tmp_path):
    port = free_port()
    env = base_env(LABELSTUDIO_DATA_DIR=tmp_path / "data")
    for key in ("DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "FAST_PASSWORD_HASHER"):
        env.pop(key, None)
    proc = Process(
        [
            sys.executable,
            "manage.py",
            "start",
            "--port",
            str(port),
            "--password",
            "s3cret-pass",
            "--web-workers",
            "1",
            "--worker-concurrency",
            "1",
        ],
        env,
    )
    try:
        proc.wait_for_line("is up at", timeout=180)
        token = proc.wait_for_line("API token:").split("API token:")[1].strip()
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        yield f"http://127.0.0.1:{port}", session, proc, tmp_path / "data"
    finally:
        code = proc.stop(signal.SIGTERM)
    assert code == 0, proc.output[-3000:]


def test_start_create_import_export_stop(embedded):
    url, session, proc, data_dir = embedded
    assert "as 'admin' with password 's3cret-pass'" in proc.output
    assert (data_dir / "labelstudio.sqlite3").exists()
    login = requests.get(f"{url}/user/login/", timeout=10)
    assert login.status_code == 200 and "csrfmiddlewaretoken" in login.text

    r = session.post(f"{url}/api/projects/", json={"title": "Smoke", "label_config": CONFIG}, timeout=10)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]

    tasks = [{"data": {"text": f"review {i}"}} for i in range(50)]
    tasks[0]["annotations"] = [
        {
            "result": [
                {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
            ]
        }
    ]
    r = session.post(f"{url}/api/projects/{pid}/import", json=tasks, timeout=10)
    assert r.status_code == 201, r.text
    job = poll_job(session, f"{url}/api/jobs/{r.json()['import']}")
    assert job["status"] == "succeeded", job
    assert session.get(f"{url}/api/projects/{pid}/", timeout=10).json()["task_number"] == 50

    r = session.post(f"{url}/api/projects/{pid}/exports/", json={"exportType": "JSON"}, timeout=10)
    assert r.status_code == 201, r.text
    export_id = r.json()["id"]
    job = poll_job(session, f"{url}/api/projects/{pid}/exports/{export_id}")
    assert job["status"] in ("succeeded", "completed"), job
    r = session.get(f"{url}/api/projects/{pid}/exports/{export_id}/download", timeout=30)
    assert r.status_code == 200
    exported = json.loads(r.content)
    assert len(exported) == 50
    labeled = [t for t in exported if t["annotations"]]
    assert labeled[0]["annotations"][0]["result"][0]["value"]["choices"] == ["Positive"]

    # an uploaded video is served by gunicorn with range requests (seeking in a <video> needs 206)
    video_config = '<View><Video name="video" value="$video"/><Choices name="c" toName="video"><Choice value="a"/></Choices></View>'
    r = session.post(f"{url}/api/projects/", json={"title": "Video", "label_config": video_config}, timeout=10)
    vid = r.json()["id"]
    body = bytes(range(256)) * 64
    r = session.post(f"{url}/api/projects/{vid}/import", files={"file": ("clip.mp4", body, "video/mp4")}, timeout=30)
    assert r.status_code == 201, r.text
    assert poll_job(session, f"{url}/api/jobs/{r.json()['import']}")["status"] == "succeeded"
    task = session.get(f"{url}/api/projects/{vid}/tasks/", timeout=10).json()
    rows = task if isinstance(task, list) else task.get("tasks") or task.get("results")
    video_url = rows[0]["data"]["video"]
    part = session.get(f"{url}{video_url}", headers={"Range": "bytes=1000-1999"}, timeout=10)
    assert part.status_code == 206 and part.headers["Content-Range"] == f"bytes 1000-1999/{len(body)}"
    assert part.content == body[1000:2000]
    assert ROOT.exists()
