"""static/labeling/ as an npm package, used the way a Label Studio user's page uses Label Studio's
front end: `npm pack`, `npm install <tarball>` into a throw-away page project (offline: the package
has no dependencies), a page with Label Studio's embedding snippet (`new LabelStudio('label-studio',
{config, task, interfaces, user, onLabelStudioLoad, onSubmitAnnotation, ...})`) served over http,
driven in Chromium. The callbacks must get Label Studio's arguments: `(ls, annotation)` with
`annotation.serializeAnnotation()` a result that Label Studio's own SDK (label_interface) accepts
for the config.

No database, no server of ours: only npm, a static file server and Chromium.
"""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import tarfile
import threading
from functools import partial

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "static" / "labeling"
NAME = "labelstudio-labeling"

CONFIG = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>"""

# Label Studio's documented embedding snippet, with the two tags of OUR package
SNIPPET = """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<link rel="stylesheet" href="node_modules/labelstudio-labeling/labeling.css">
<script src="node_modules/labelstudio-labeling/dist/labeling.bundle.js"></script>
</head><body>
<div id="label-studio"></div>
<script>
  window.calls = [];
  const record = (name, ls, annotation, extra) => window.calls.push({
    name,
    ls: { taskId: ls.task.id, taskData: ls.task.data, dataObj: ls.task.dataObj, user: ls.user,
          annotations: ls.annotationStore.annotations.length,
          selected: ls.annotationStore.selected && ls.annotationStore.selected.id,
          hasSkip: ls.hasInterface('skip') },
    annotation: annotation && { id: annotation.id, pk: annotation.pk, userGenerate: annotation.userGenerate,
          leadTime: annotation.leadTime, exists: annotation.exists, result: annotation.serializeAnnotation() },
    extra: extra === undefined ? null : extra,
  });
  var labelStudio = new LabelStudio('label-studio', {
    config: __CONFIG__,
    interfaces: ["panel", "update", "submit", "skip", "controls", "side-column", "annotations:menu",
                 "annotations:add-new", "predictions:menu"],
    user: { pk: 1, firstName: "James", lastName: "Dean" },
    task: { annotations: [], predictions: [], id: 1, data: { text: "John works for Google." } },
    onLabelStudioLoad: function (LS) {
      var c = LS.annotationStore.addAnnotation({ userGenerate: true });
      LS.annotationStore.selectAnnotation(c.id);
      record('load', LS);
    },
    onSubmitAnnotation: function (LS, annotation) {
      record('submit', LS, annotation);
      annotation.updatePersonalKey('17');  // the host saved it: the next one is an update
    },
    onUpdateAnnotation: function (LS, annotation) { record('update', LS, annotation); },
    onSkipTask: function (LS, extra) { record('skip', LS, null, extra); },
  });
</script></body></html>"""

# the same package as an ES module, a task that already has an annotation and a prediction
MODULE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<link rel="stylesheet" href="node_modules/labelstudio-labeling/labeling.css"></head><body>
<div id="ls"></div>
<script type="module">
  import { LabelStudio, LabelingInterface } from './node_modules/labelstudio-labeling/index.js';
  window.kinds = [typeof LabelStudio, typeof LabelingInterface];
  window.calls = [];
  window.ls = new LabelStudio(document.getElementById('ls'), {
    config: __CONFIG__,
    interfaces: ["submit", "update", "controls"],
    task: { id: 5, data: JSON.stringify({ text: "Ann met Bob." }),
            predictions: [{ id: 3, model_version: "v1", result: [] }],
            annotations: [{ id: 42, result: [{ id: "r1", from_name: "sentiment", to_name: "text",
                            type: "choices", value: { choices: ["Negative"] } }] }] },
    onUpdateAnnotation: (LS, annotation) => window.calls.push(
      { pk: annotation.pk, result: annotation.serializeAnnotation(), annotations: LS.annotationStore.annotations.length }),
  });
</script></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """npm pack + npm install into a throw-away page project, served over http."""
    npm = shutil.which("npm")
    if not npm:
        pytest.skip("npm is not installed")
    work = tmp_path_factory.mktemp("npm-package")
    packed = subprocess.run(
        [npm, "pack", str(PACKAGE), "--pack-destination", str(work), "--json"],
        check=True, capture_output=True, text=True, cwd=work,
    )  # fmt: skip
    tarball = work / json.loads(packed.stdout)[0]["filename"]
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
    page = work / "page"
    page.mkdir()
    (page / "package.json").write_text(json.dumps({"name": "throwaway-page", "private": True}))
    subprocess.run(
        [npm, "install", "--offline", "--no-audit", "--no-fund", str(tarball)],
        check=True, capture_output=True, text=True, cwd=page,
    )  # fmt: skip
    config = json.dumps(CONFIG)
    (page / "index.html").write_text(SNIPPET.replace("__CONFIG__", config), encoding="utf-8")
    (page / "module.html").write_text(MODULE_PAGE.replace("__CONFIG__", config), encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(page)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    class Site:
        root = page
        url = f"http://127.0.0.1:{server.server_address[1]}"
        files = names

    yield Site
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def ls_accepts(result: list) -> list:
    """Label Studio's own SDK validates the result against the config (errors; [] when valid)."""
    from label_studio_sdk.label_interface import LabelInterface

    return LabelInterface(CONFIG).validate_prediction({"result": result}, return_errors=True)


def test_tarball_is_a_complete_package(site):
    installed = site.root / "node_modules" / NAME
    manifest = json.loads((installed / "package.json").read_text())
    assert manifest["name"] == NAME and manifest["version"] and manifest["types"] == "./index.d.ts"
    assert {"package/index.js", "package/index.d.ts", "package/README.md", "package/dist/labeling.bundle.js"} <= set(
        site.files
    )
    for target in _targets(manifest["exports"]):  # every export points at a shipped file
        assert (installed / target).is_file(), target
    assert not any(n.startswith("package/tools/") for n in site.files)  # the bundler stays in the repo
    node = shutil.which("node")
    if node:  # the package resolves by name through its `exports`
        out = subprocess.run(
            [node, "--input-type=module", "-e",
             f"import {{ LabelStudio, LabelingInterface }} from '{NAME}'; console.log(typeof LabelStudio, typeof LabelingInterface)"],
            check=True, capture_output=True, text=True, cwd=site.root,
        ).stdout  # fmt: skip
        assert out.split() == ["function", "function"]


def _targets(exports) -> list[str]:
    if isinstance(exports, str):
        return [exports]
    return [t for value in exports.values() for t in _targets(value)]


def test_label_studio_snippet_label_submit_update_skip(page, site):
    page.goto(f"{site.url}/index.html")
    page.wait_for_function("window.calls.length === 1")
    load = page.evaluate("window.calls[0]")
    assert load["name"] == "load" and load["ls"]["taskId"] == 1 and load["ls"]["hasSkip"] is True
    assert json.loads(load["ls"]["taskData"]) == load["ls"]["dataObj"] == {"text": "John works for Google."}
    assert load["ls"]["user"] == {"pk": 1, "firstName": "James", "lastName": "Dean"}

    # label "John" as PER, choose Positive, submit
    page.click('.ls-label[data-value="PER"]')
    text = page.locator(".ls-text").bounding_box()
    page.mouse.dblclick(text["x"] + 16, text["y"] + text["height"] / 2)
    page.click('.ls-choice[data-value="Positive"]')
    page.click(".ls-submit")
    page.wait_for_function("window.calls.length === 2")
    submit = page.evaluate("window.calls[1]")
    assert submit["name"] == "submit"
    annotation = submit["annotation"]
    assert annotation["userGenerate"] is True and annotation["pk"] is None and annotation["exists"] is False
    assert annotation["leadTime"] > 0 and annotation["id"] == submit["ls"]["selected"]
    assert submit["ls"]["annotations"] == 1  # the one the host added in onLabelStudioLoad
    result = annotation["result"]
    by_name = {item["from_name"]: item for item in result}
    assert by_name["ner"]["value"] == {"start": 0, "end": 4, "text": "John", "labels": ["PER"]}
    assert by_name["ner"]["type"] == "labels" and by_name["ner"]["to_name"] == "text"
    assert by_name["sentiment"]["value"] == {"choices": ["Positive"]} and by_name["sentiment"]["type"] == "choices"
    assert all(item["id"] and item["origin"] == "manual" for item in result)
    assert ls_accepts(result) == []  # Label Studio's SDK reads it as a valid result for the config

    # saved (updatePersonalKey in the callback): the button is Update; change the choice and update
    page.wait_for_selector(".ls-update", state="visible")
    page.click('.ls-choice[data-value="Negative"]')
    page.click(".ls-update")
    page.wait_for_function("window.calls.length === 3")
    update = page.evaluate("window.calls[2]")
    assert update["name"] == "update" and update["annotation"]["pk"] == "17" and update["annotation"]["exists"]
    assert {i["from_name"]: i["value"] for i in update["annotation"]["result"]}["sentiment"] == {
        "choices": ["Negative"]
    }
    assert ls_accepts(update["annotation"]["result"]) == []

    page.click(".ls-skip")
    page.wait_for_function("window.calls.length === 4")
    assert page.evaluate("window.calls[3]")["name"] == "skip"
    assert page.js_errors == []


def test_es_module_entry_loads_an_existing_annotation(page, site):
    page.goto(f"{site.url}/module.html")
    page.wait_for_function("window.ls && document.querySelector('.ls-choice')")
    assert page.evaluate("window.kinds") == ["function", "function"]
    # Label Studio shows the task's annotation; it has a pk, so the button is Update; no Skip interface
    assert page.locator(".ls-update").is_visible() and page.locator(".ls-skip").count() == 0
    assert page.locator('.ls-choice[data-value="Negative"].ls-selected').count() == 1
    page.click('.ls-choice[data-value="Positive"]')
    page.click(".ls-update")
    page.wait_for_function("window.calls.length === 1")
    call = page.evaluate("window.calls[0]")
    assert call["pk"] == "42" and call["annotations"] == 1
    assert call["result"] == [
        {"id": "r1", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
    ]  # fmt: skip  (the loaded item's own fields, no more: our interface keeps them verbatim)
    assert page.evaluate("ls.store.annotationStore.predictions[0].type") == "prediction"
    assert page.js_errors == []


def test_label_studio_example_page_from_file_url(page):
    """examples/label-studio.html: Label Studio's snippet against the repository's own bundle."""
    page.goto((PACKAGE / "examples" / "label-studio.html").as_uri())
    page.click('.ls-label[data-value="PER"]')
    text = page.locator(".ls-text").bounding_box()
    page.mouse.dblclick(text["x"] + 12, text["y"] + text["height"] / 2)  # "Ada"
    page.click(".ls-submit")
    name, _, payload = page.inner_text("#events").strip().partition(" ")
    assert name == "onSubmitAnnotation"
    result = json.loads(payload)
    assert [(r["type"], r["value"]["text"], r["value"]["labels"]) for r in result] == [("labels", "Ada", ["PER"])]
    page.click(".ls-skip")
    assert page.inner_text("#events").strip().splitlines()[-1] == 'onSkipTask {"task":1}'
    assert page.js_errors == []
