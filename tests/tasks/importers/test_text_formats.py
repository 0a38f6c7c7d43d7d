"""JSON Lines, CSV, TSV and TXT files."""

import pytest

from ml_backends.models import Prediction
from tests import factories
from tests.tasks.importers.conftest import snapshot, upload


@pytest.fixture
def existing(project):
    factories.make_task(project, {"text": "already here"})
    return snapshot(project)


def texts(project, job):
    return list(project.tasks.filter(import_job=job).order_by("id").values_list("data", flat=True))


def test_jsonl(project, run_import):
    content = '{"text": "a"}\n\n{"data": {"text": "b"}, "meta": {"m": 1}}\n'
    job = run_import(project, files=[upload("t.jsonl", content)])
    assert job.status == "succeeded", job.error
    assert texts(project, job) == [{"text": "a"}, {"text": "b"}]


def test_jsonl_bad_line(project, run_import, existing):
    job = run_import(project, files=[upload("t.ndjson", '{"text": "a"}\n{"text": "b"\n{"text": "c"}\n')])
    assert job.status == "failed"
    assert "t.ndjson, line 2: malformed JSON" in job.error
    assert snapshot(project) == existing


def test_csv_header_becomes_data_keys(project, run_import):
    content = 'text,source\n"hello, world",web\n"multi\nline",mail\n'
    job = run_import(project, files=[upload("t.csv", content)])
    assert job.status == "succeeded", job.error
    assert texts(project, job) == [{"text": "hello, world", "source": "web"}, {"text": "multi\nline", "source": "mail"}]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_csv_delimiter_detected(project, run_import, delimiter):
    content = f"id{delimiter}text\n1{delimiter}a, b and c\n2{delimiter}d: e\n"
    job = run_import(project, files=[upload("t.csv", content)])
    assert job.status == "succeeded", job.error
    assert texts(project, job) == [{"id": "1", "text": "a, b and c"}, {"id": "2", "text": "d: e"}]


def test_single_column_csv_with_commas_in_text(project, run_import):
    job = run_import(project, files=[upload("t.csv", "text\nsemi; colons, commas; here\nplain\n")])
    assert job.status == "succeeded", job.error
    assert texts(project, job) == [{"text": "semi; colons, commas; here"}, {"text": "plain"}]


def test_tsv_and_utf8_bom(project, run_import):
    content = "\ufefftext\tlang\ncafé\tfr\n".encode()
    job = run_import(project, files=[upload("t.tsv", content)])
    assert job.status == "succeeded", job.error
    assert texts(project, job) == [{"text": "café", "lang": "fr"}]


def test_utf16_with_bom(project, run_import):
    job = run_import(project, files=[upload("t.csv", "text\nüber\n".encode("utf-16"))])
    assert job.status == "succeeded", job.error
    assert texts(project, job) == [{"text": "über"}]


def test_csv_ragged_row(project, run_import, existing):
    job = run_import(project, files=[upload("r.csv", "text,source\na,web\nb\nc,web,extra\n")])
    assert job.status == "failed"
    assert "r.csv, line 3: the row has 1 fields, the header has 2" in job.error
    assert [(e["line"], e["row"]) for e in job.errors] == [(3, 2), (4, 3)]
    assert snapshot(project) == existing


def test_csv_not_utf8(project, run_import, existing):
    content = "text\nfine\nna\xefve\n".encode("latin-1")
    job = run_import(project, files=[upload("l.csv", content)])
    assert job.status == "failed"
    assert "l.csv, line 3: the file is not UTF-8 text: byte 0xEF" in job.error
    assert snapshot(project) == existing


def test_csv_header_problems(project, run_import, existing):
    job = run_import(project, files=[upload("h.csv", "text,text\na,b\n")])
    assert "column 'text' appears twice" in job.error
    job = run_import(project, files=[upload("h.csv", "text,\na,b\n")])
    assert "column 2 of the header row has no name" in job.error
    assert snapshot(project) == existing


def test_csv_missing_config_key(project, run_import, existing):
    job = run_import(project, files=[upload("k.csv", "body\nhello\n")])
    assert job.status == "failed"
    assert "k.csv, line 2, text: data key 'text' is missing" in job.error
    assert snapshot(project) == existing


def test_prediction_columns(project, run_import):
    result = '[{""from_name"": ""sentiment"", ""to_name"": ""text"", ""type"": ""choices"", ""value"": {""choices"": [""Negative""]}}]'
    content = f'text,sentiment,model\nnice,Positive,{"[]"}\nbad,,"{result}"\n'
    job = run_import(
        project,
        files=[upload("p.csv", content)],
        options={"preannotated_from_fields": "sentiment,model", "model_version": "csv-v1"},
    )
    assert job.status == "succeeded", job.error
    first, second = project.tasks.filter(import_job=job).order_by("id")
    assert first.data == {"text": "nice"} and second.data == {"text": "bad"}
    p1 = Prediction.objects.get(task=first)
    assert p1.model_version == "csv-v1"
    assert p1.result == [
        {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
    ]
    assert Prediction.objects.get(task=second).result[0]["value"] == {"choices": ["Negative"]}
    assert (first.total_predictions, second.total_predictions) == (1, 1)


def test_prediction_column_with_a_bad_label(project, run_import, existing):
    job = run_import(
        project,
        files=[upload("p.csv", "text,sentiment\nnice,Happy\n")],
        options={"preannotated_from_fields": "sentiment"},
    )
    assert job.status == "failed"
    assert "p.csv, line 2, predictions[0].result[0].value.choices" in job.error and "Happy" in job.error
    assert snapshot(project) == existing


def test_prediction_column_missing(project, run_import, existing):
    job = run_import(project, files=[upload("p.csv", "text\nnice\n")], options={"preannotated_from_fields": "score"})
    assert "'score' is declared a prediction field" in job.error
    assert snapshot(project) == existing


def test_txt_one_task_per_line(project, run_import):
    job = run_import(project, files=[upload("lines.txt", "first line\r\n\nsecond line\nthird\n")])
    assert job.status == "succeeded", job.error
    assert texts(project, job) == [{"text": "first line"}, {"text": "second line"}, {"text": "third"}]


def test_txt_needs_a_single_data_key(manager, run_import):
    project = factories.make_project(
        created_by=manager,
        label_config=(
            '<View><Text name="a" value="$a"/><Text name="b" value="$b"/>'
            '<Choices name="c" toName="a"><Choice value="x"/></Choices></View>'
        ),
    )
    job = run_import(project, files=[upload("lines.txt", "x\n")])
    assert job.status == "failed"
    assert "lines.txt: a TXT file fills one data key, but the config reads a, b" in job.error


def test_unknown_file_type(project, run_import, existing):
    job = run_import(project, files=[upload("t.xlsx", b"PK..")])
    assert job.status == "failed" and "t.xlsx: unsupported file type" in job.error
    assert snapshot(project) == existing


def test_many_files_in_one_import(project, run_import):
    files = [upload("a.json", '[{"text": "1"}]'), upload("b.csv", "text\n2\n"), upload("c.txt", "3\n")]
    job = run_import(project, files=files)
    assert job.status == "succeeded", job.error
    assert job.result["files"] == 3
    assert [t["text"] for t in texts(project, job)] == ["1", "2", "3"]


def test_bad_bytes_skip_only_their_rows(project, run_import):
    content = b"text\nfirst\nna\xefve\nlast\n"
    job = run_import(
        project,
        files=[upload("l.csv", content), upload("l.txt", b"one\n\xff\ntwo\n")],
        options={"commit_mode": "skip_bad_rows"},
    )
    assert job.status == "succeeded", job.error
    assert texts(project, job) == [{"text": "first"}, {"text": "last"}, {"text": "one"}, {"text": "two"}]
    assert [(e["file"], e["line"]) for e in job.errors] == [("l.csv", 3), ("l.txt", 2)]
    assert "byte 0xEF at column 3" in job.errors[0]["message"]
