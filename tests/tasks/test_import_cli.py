"""The command line: ``manage.py import_tasks`` (progress bar) and ``start --input-path``; and the
SQLite writer, run by ``manage.py start`` on the embedded default in a subprocess."""

import json
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from annotators.models import Completion
from ml_backends.models import Prediction
from projects.models import Project
from tests import live

RESULT = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Neutral"]}}]
CONFIG = (
    '<View><Text name="text" value="$text"/><Choices name="sentiment" toName="text"><Choice value="Neutral"/>'
    "</Choices></View>"
)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


def test_import_tasks_command(project, manager, tmp_path, capsys):
    (tmp_path / "a.json").write_text(json.dumps([{"data": {"text": "a"}, "predictions": [{"result": RESULT}]}]))
    (tmp_path / "b.csv").write_text("text\nb\nc\n")
    call_command("import_tasks", str(project.pk), str(tmp_path / "a.json"), str(tmp_path / "b.csv"))
    out = capsys.readouterr()
    assert "Imported 3 tasks, 0 annotations, 1 predictions from 3 rows" in out.out
    assert "import" in out.err and "100%" in out.err  # the progress bar
    assert sorted(project.tasks.values_list("data__text", flat=True)) == ["a", "b", "c"]
    assert Prediction.objects.filter(project=project).count() == 1


def test_import_tasks_command_reports_errors(project, tmp_path, capsys):
    (tmp_path / "bad.csv").write_bytes(b"text\nok\nna\xefve\n")
    with pytest.raises(CommandError, match="bad.csv, line 3: the file is not UTF-8 text"):
        call_command("import_tasks", str(project.pk), str(tmp_path / "bad.csv"))
    assert "bad.csv, line 3: the file is not UTF-8 text" in capsys.readouterr().err
    assert project.tasks.count() == 0
    call_command("import_tasks", str(project.pk), str(tmp_path / "bad.csv"), "--skip-bad-rows")
    assert list(project.tasks.values_list("data__text", flat=True)) == ["ok"]


def test_import_a_directory_of_media(manager, tmp_path):
    from tests import factories

    project = factories.make_project(
        created_by=manager,
        label_config=(
            '<View><Image name="img" value="$image"/><Choices name="c" toName="img"><Choice value="x"/></Choices></View>'
        ),
    )
    folder = tmp_path / "pics"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.png").write_bytes(b"\x89PNG")
    (folder / "sub" / "b.jpg").write_bytes(b"\xff\xd8")
    call_command("import_tasks", str(project.pk), str(folder))
    urls = sorted(project.tasks.values_list("data__image", flat=True))
    assert len(urls) == 2 and all(u.startswith(f"/data/upload/{project.pk}/") for u in urls)
    assert urls[0].endswith("/a.png") and urls[1].endswith("/b.jpg")


def test_start_input_path(manager, tmp_path):
    config = tmp_path / "config.xml"
    config.write_text(CONFIG)
    data = tmp_path / "in.jsonl"
    second = json.dumps({"data": {"text": "two"}, "annotations": [{"result": RESULT}]})
    data.write_text(f'{{"text": "one"}}\n{second}\n')
    call_command(
        "start",
        "cli demo",
        "--init",
        "--label-config",
        str(config),
        "--input-path",
        str(data),
        "--no-serve",
        "--password",
        "pw-12345678",
    )
    project = Project.objects.get(title="cli demo")
    assert sorted(project.tasks.values_list("data__text", flat=True)) == ["one", "two"]
    assert Completion.objects.filter(project=project).count() == 1
    assert project.tasks.filter(is_labeled=True).count() == 1


@pytest.mark.live
def test_sqlite_embedded_default(tmp_path):
    """The same imports through the SQLite writer (ids assigned up front, executemany)."""
    config = tmp_path / "config.xml"
    config.write_text(CONFIG)
    tasks = [
        {
            "data": {"text": f"t{i}"},
            "predictions": [{"result": RESULT, "score": 0.1}],
            **({"annotations": [{"result": RESULT}]} if i % 2 else {}),
        }
        for i in range(25_000)
    ]
    (tmp_path / "pre.json").write_text(json.dumps(tasks))
    (tmp_path / "plain.csv").write_text("text\n" + "".join(f"row {i}\n" for i in range(1000)))
    (tmp_path / "bad.json").write_text('[{"text": "x"}, {"nope": 1}]')
    env = live.base_env(
        LABELSTUDIO_DATA_DIR=tmp_path / "data", DATABASE_URL="", REDIS_URL="", CELERY_TASK_ALWAYS_EAGER=0
    )
    env.pop("DATABASE_URL")
    env.pop("REDIS_URL")

    def manage(*args, check=True):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=live.ROOT, env=env, capture_output=True, text=True, check=check
        )

    manage(
        "start", "sq", "--init", "--label-config", str(config), "--input-path", str(tmp_path / "pre.json"), "--no-serve"
    )
    manage("import_tasks", "1", str(tmp_path / "plain.csv"))
    failed = manage("import_tasks", "1", str(tmp_path / "bad.json"), check=False)
    assert failed.returncode != 0 and "bad.json, row 2, text: data key 'text' is missing" in failed.stderr
    db = sqlite3.connect(tmp_path / "data" / "labelstudio.sqlite3")
    q = lambda sql: db.execute(sql).fetchall()  # noqa: E731
    assert q("select count(*), count(distinct id), min(id), max(id) from tasks_task") == [(26_000, 26_000, 1, 26_000)]
    assert q("select count(*) from ml_backends_prediction") == [(25_000,)]
    assert q("select count(*) from annotators_completion") == [(12_500,)]
    assert q("select sum(total_annotations), sum(total_predictions), sum(is_labeled) from tasks_task") == [
        (12_500, 25_000, 12_500)
    ]
    assert q(
        "select count(*) from ml_backends_prediction p join tasks_task t on t.id = p.task_id "
        "where t.data ->> '$.text' like 't%'"
    ) == [(25_000,)]
    assert q("select data from tasks_task where id = 25001") == [('{"text":"row 0"}',)]
