"""Paragraphs with audioUrl + sync in real Chromium: a phrase's play button seeks the linked Audio to
the phrase's start and plays to its end; the phrase playing is highlighted as the audio plays."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.helpers import labeling_project, open_stream

pytestmark = [pytest.mark.browser, pytest.mark.live]

SYNCED = """<View>
  <Audio name="audio" value="$audio" sync="text"/>
  <ParagraphLabels name="label" toName="text"><Label value="Greeting"/></ParagraphLabels>
  <Paragraphs name="text" value="$dialogue" audioUrl="$audio" sync="audio" layout="dialogue"/>
</View>"""
OWN = """<View>
  <Choices name="ok" toName="text"><Choice value="ok"/></Choices>
  <Paragraphs name="text" value="$dialogue" audioUrl="$audio"/>
</View>"""
DIALOGUE = [
    {"author": "A", "text": "Hello there.", "start": 0, "end": 1.0},
    {"author": "B", "text": "Hi, how are you?", "start": 1.2, "end": 1.8},
    {"author": "A", "text": "Fine.", "start": 2.2, "duration": 0.6},
]


def _current_time(area, selector):
    return area.locator(selector).evaluate("a => a.currentTime")


def test_phrase_seeks_the_synced_audio_and_is_highlighted(page, live_server, users, media):
    data = {"audio": f"{media.url}/sample.wav", "dialogue": DIALOGUE}
    project, _ = labeling_project(users, SYNCED, [data])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    phrases = area.locator(".ls-paragraph")
    expect(phrases).to_have_count(3)
    expect(area.locator(".ls-paragraph-play")).to_have_count(3)
    assert area.locator(".ls-paragraphs-audio").count() == 0  # the synced Audio is used, not an own player
    area.locator(".ls-audio-element").evaluate(
        "a => new Promise(r => a.readyState >= 1 ? r() : a.addEventListener('loadedmetadata', r))"
    )
    phrases.nth(1).locator(".ls-paragraph-play").click()
    assert 1.2 <= _current_time(area, ".ls-audio-element") < 1.9
    expect(phrases.nth(1)).to_have_class("ls-paragraph ls-paragraph-active")
    # it plays to the phrase's end and stops there
    area.locator(".ls-audio-element").evaluate("a => new Promise(r => a.paused ? r() : a.addEventListener('pause', r))")
    assert 1.75 <= _current_time(area, ".ls-audio-element") < 2.2
    # seeking the audio elsewhere (its own controls) moves the highlight with it
    area.locator(".ls-audio-element").evaluate("a => { a.currentTime = 2.5; }")
    expect(phrases.nth(2)).to_have_class("ls-paragraph ls-paragraph-active")
    expect(phrases.nth(1)).to_have_class("ls-paragraph")


def test_audio_url_without_sync_plays_in_its_own_player(page, live_server, users, media):
    data = {"audio": f"{media.url}/sample.wav", "dialogue": DIALOGUE}
    project, _ = labeling_project(users, OWN, [data])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    expect(area.locator(".ls-paragraphs-audio")).to_have_count(1)
    area.locator(".ls-paragraph-play").nth(2).click()
    assert _current_time(area, ".ls-paragraphs-audio") >= 2.2
    expect(area.locator(".ls-paragraph").nth(2)).to_have_class("ls-paragraph ls-paragraph-active")
