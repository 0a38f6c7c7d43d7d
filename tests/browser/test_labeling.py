"""Label one task per tag family in the label stream, submit, reload and see the completion."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shoot
from tests.browser.helpers import (
    click_at,
    completion_of,
    drag,
    labeling_project,
    open_stream,
    reopen_and_expect_completion,
    submit,
)

pytestmark = [pytest.mark.browser, pytest.mark.live]

TEXT_CLASSIFICATION = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single-radio">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""

NER = """<View>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""

BBOX = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car"/><Label value="Person"/>
  </RectangleLabels>
</View>"""

POLYGON = """<View>
  <Image name="image" value="$image"/>
  <PolygonLabels name="label" toName="image">
    <Label value="Building"/><Label value="Road"/>
  </PolygonLabels>
</View>"""

AUDIO = """<View>
  <Labels name="speaker" toName="audio">
    <Label value="Speech"/><Label value="Noise"/>
  </Labels>
  <Audio name="audio" value="$audio"/>
</View>"""

TEXTAREA = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="summary" toName="text" rows="2"/>
</View>"""

PAIRWISE = """<View>
  <Pairwise name="pw" toName="left,right"/>
  <Text name="left" value="$left"/>
  <Text name="right" value="$right"/>
</View>"""

RATING = """<View>
  <Text name="text" value="$text"/>
  <Rating name="rating" toName="text" maxRating="5"/>
</View>"""


def test_text_classification(page, live_server, users):
    project, (task,) = labeling_project(
        users,
        TEXT_CLASSIFICATION,
        [{"text": "A delightful, sharp little film."}],
        expert_instruction="Pick the overall sentiment.",
        show_instruction=True,
    )
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    expect(page.locator("#task-title")).to_have_text(f"Task #{task.pk}")
    expect(page.locator("#instructions")).to_contain_text("Pick the overall sentiment.")
    area.locator('[data-control="sentiment"][data-value="Positive"]').click()
    shoot(page, "label-stream")
    submit(page, task)
    expect(page.locator("#stream-done")).to_be_visible()  # the only task is done
    expect(page.locator("#session-submitted")).to_have_text("1")
    result = completion_of(task, users["ann1"]).result
    assert [(r["type"], r["value"]) for r in result] == [("choices", {"choices": ["Positive"]})]

    area = reopen_and_expect_completion(page, live_server, project, task)
    expect(area.locator('[data-control="sentiment"][data-value="Positive"]')).to_have_attribute("aria-checked", "true")
    # update: change the answer; the stored version goes up
    area.locator('[data-control="sentiment"][data-value="Negative"]').click()
    area.locator(".ls-update").click()
    expect(page.locator("#stream-message")).to_contain_text("updated")
    completion = completion_of(task, users["ann1"])
    assert completion.result[0]["value"] == {"choices": ["Negative"]} and completion.version == 2


def test_ner_spans(page, live_server, users):
    text = "Alice works at Acme in Paris."
    project, (task,) = labeling_project(users, NER, [{"text": text}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    for label, word in (("PER", "Alice"), ("LOC", "Paris")):
        area.locator(f'.ls-label[data-control="label"][data-value="{label}"]').click()
        box = page.evaluate(
            """([word]) => {
                const el = document.querySelector('#labeling .ls-text');
                const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                    const i = n.data.indexOf(word);
                    if (i < 0) continue;
                    const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + word.length);
                    const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height};
                }
                return null;
            }""",
            [word],
        )
        # select the word with the mouse: press before it, release after it
        page.mouse.move(box["x"] + 1, box["y"] + box["h"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["w"] - 1, box["y"] + box["h"] / 2, steps=5)
        page.mouse.up()
        expect(area.locator(".ls-text [data-id]").filter(has_text=word).first).to_be_visible()
        page.keyboard.press("Escape")  # deselect, so the next label starts a new span
    shoot(page, "label-ner")
    submit(page, task)
    spans = sorted(
        (r["value"]["start"], r["value"]["end"], r["value"]["labels"])
        for r in completion_of(task, users["ann1"]).result
    )
    assert spans == [(0, 5, ["PER"]), (23, 28, ["LOC"])]
    area = reopen_and_expect_completion(page, live_server, project, task)
    expect(area.locator(".ls-text [data-id]").filter(has_text="Paris").first).to_be_visible()


def _image_ready(area):
    area.locator(".ls-image-img").evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    expect(area.locator(".ls-image-svg")).to_be_visible()


def test_image_bounding_box_drawn_with_the_mouse(page, live_server, users, media):
    project, (task,) = labeling_project(users, BBOX, [{"image": f"{media.url}/sample.png"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    _image_ready(area)
    area.locator('.ls-label[data-control="label"][data-value="Car"]').click()
    drag(page, area.locator(".ls-image-svg"), (0.1, 0.15), (0.45, 0.65))
    expect(area.locator(".ls-image-svg .ls-shape")).to_have_count(1)
    shoot(page, "label-bbox")
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    value = item["value"]
    assert item["type"] == "rectanglelabels" and value["rectanglelabels"] == ["Car"]
    assert value["x"] == pytest.approx(10, abs=2) and value["y"] == pytest.approx(15, abs=2)
    assert value["width"] == pytest.approx(35, abs=2) and value["height"] == pytest.approx(50, abs=2)
    assert item["original_width"] == 640 and item["original_height"] == 400
    area = reopen_and_expect_completion(page, live_server, project, task)
    expect(area.locator(".ls-image-svg .ls-shape")).to_have_count(1)


def test_polygon(page, live_server, users, media):
    project, (task,) = labeling_project(users, POLYGON, [{"image": f"{media.url}/sample.png"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    _image_ready(area)
    area.locator('.ls-label[data-control="label"][data-value="Building"]').click()
    svg = area.locator(".ls-image-svg")
    for fx, fy in ((0.2, 0.2), (0.6, 0.2), (0.6, 0.7), (0.2, 0.7)):
        click_at(page, svg, fx, fy)
    click_at(page, svg, 0.2, 0.2)  # back on the first point closes the polygon
    expect(area.locator(".ls-image-svg .ls-shape")).to_have_count(1)
    shoot(page, "label-polygon")
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    assert item["type"] == "polygonlabels" and item["value"]["polygonlabels"] == ["Building"]
    points = item["value"]["points"]
    assert len(points) == 4
    assert points[0] == pytest.approx([20, 20], abs=2) and points[2] == pytest.approx([60, 70], abs=2)
    reopen_and_expect_completion(page, live_server, project, task)


def test_audio_segment(page, live_server, users, media):
    project, (task,) = labeling_project(users, AUDIO, [{"audio": f"{media.url}/sample.wav"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    expect(area.locator(".ls-audio-time")).not_to_have_text("0:00 / 0:00")  # duration known
    area.locator('.ls-label[data-control="speaker"][data-value="Speech"]').click()
    drag(page, area.locator(".ls-audio-track"), (0.2, 0.5), (0.6, 0.5))
    expect(area.locator(".ls-audio-segment.ls-region")).to_have_count(1)
    shoot(page, "label-audio")
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    assert item["type"] == "labels" and item["value"]["labels"] == ["Speech"]
    assert item["value"]["start"] == pytest.approx(0.6, abs=0.25)
    assert item["value"]["end"] == pytest.approx(1.8, abs=0.25)
    area = reopen_and_expect_completion(page, live_server, project, task)
    expect(area.locator(".ls-audio-segment.ls-region")).to_have_count(1)


def test_text_area(page, live_server, users):
    project, (task,) = labeling_project(users, TEXTAREA, [{"text": "The meeting moved to Thursday at 10."}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    box = area.locator("textarea.ls-input")
    box.fill("Meeting on Thursday")
    area.locator(".ls-textarea-add").click()
    expect(area.locator(".ls-textarea-entry")).to_have_count(1)
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    assert item["type"] == "textarea" and item["value"] == {"text": ["Meeting on Thursday"]}
    area = reopen_and_expect_completion(page, live_server, project, task)
    expect(area.locator(".ls-textarea-entry")).to_contain_text("Meeting on Thursday")


def test_pairwise(page, live_server, users):
    project, (task,) = labeling_project(
        users, PAIRWISE, [{"left": "A short, correct summary.", "right": "A long, wrong one."}]
    )
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    area.locator(".ls-pairwise-left").click()
    expect(area.locator(".ls-pairwise-left")).to_have_class(re.compile("ls-selected"))
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    assert item["type"] == "pairwise" and item["value"] == {"selected": "left"}
    assert item["from_name"] == "pw"
    reopen_and_expect_completion(page, live_server, project, task)


def test_rating(page, live_server, users):
    project, (task,) = labeling_project(users, RATING, [{"text": "Five stars, would label again."}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    area.locator('.ls-rating-star[data-value="4"]').click()
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    assert item["type"] == "rating" and item["value"] == {"rating": 4}
    area = reopen_and_expect_completion(page, live_server, project, task)
    expect(area.locator(".ls-rating-star.ls-selected")).to_have_count(4)


def test_label_all_tasks_and_skip(page, live_server, users):
    """The stream goes from one next task to the next; a skip is stored as a cancelled completion."""
    project, tasks = labeling_project(users, TEXT_CLASSIFICATION, [{"text": f"review {i}"} for i in range(3)])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    seen = []
    for i in range(3):
        title = page.locator("#task-title")
        expect(title).to_have_text(re.compile(r"Task #\d+"))
        task_id = int(title.inner_text().split("#")[1])
        assert task_id not in seen
        seen.append(task_id)
        if i == 1:
            area.locator(".ls-skip").click()
            expect(page.locator("#stream-message")).to_contain_text(f"Task #{task_id} skipped")
        else:
            area.locator('[data-control="sentiment"][data-value="Neutral"]').click()
            area.locator(".ls-submit").click()
            expect(page.locator("#stream-message")).to_contain_text(f"Task #{task_id} submitted")
        expect(title).not_to_have_text(f"Task #{task_id}")  # the stream moved on
    expect(page.locator("#stream-done")).to_be_visible()
    expect(page.locator("#session-submitted")).to_have_text("2")
    expect(page.locator("#session-skipped")).to_have_text("1")
    assert sorted(seen) == sorted(t.pk for t in tasks)
    from annotators.models import Completion

    skipped = Completion.objects.get(task_id=seen[1], completed_by=users["ann1"])
    assert skipped.was_cancelled and skipped.result == []


def test_draft_autosaves_and_is_restored(page, live_server, users):
    from annotators.models import Completion, Draft

    project, (task,) = labeling_project(users, TEXT_CLASSIFICATION, [{"text": "Half-way through this one."}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    area.locator('[data-control="sentiment"][data-value="Neutral"]').click()
    expect(page.locator("#draft-state")).to_contain_text("Draft saved")
    draft = Draft.objects.get(task=task, user=users["ann1"])
    assert draft.result[0]["value"] == {"choices": ["Neutral"]}
    assert not Completion.objects.filter(task=task).exists()  # a draft is never a completion

    restored = open_stream(page, live_server, project, task)
    expect(restored.locator('[data-control="sentiment"][data-value="Neutral"]')).to_have_attribute(
        "aria-checked", "true"
    )
    submit(page, task)
    assert not Draft.objects.filter(task=task, user=users["ann1"]).exists()  # submit clears it
