"""The protocol client against real servers on loopback: auth, headers, retries, timeouts, size cap,
and the URL check (loopback refused unless allowed)."""

import time

import pytest

from ml_backends.client import MLClient

pytestmark = pytest.mark.live

TASKS = [{"id": i, "data": {"text": f"t{i}"}} for i in (1, 2, 3)]


def test_protocol_calls_against_the_example_backend(servers, loopback):
    url = servers.sklearn("--basic-auth", "ml:secret")
    client = MLClient(url, auth=("ml", "secret"), headers={"X-Team": "blue"}, timeout=10)
    assert client.health().data["status"] == "UP"
    config = (
        "<View><Text name='text' value='$text'/><Choices name='c' toName='text'>"
        "<Choice value='A'/><Choice value='B'/></Choices></View>"
    )
    setup = client.setup(project="1.1", schema=config)
    assert setup.ok and setup.data["model_version"] == "initial"
    answer = client.predict(tasks=TASKS, project="1.1", label_config=config, params={})
    assert answer.ok and len(answer.data["results"]) == 3
    assert answer.data["results"][0]["result"][0]["value"]["choices"] == ["A"]

    wrong = MLClient(url, auth=("ml", "nope"), timeout=10)
    refused = wrong.health()
    assert not refused.ok and refused.status_code == 401 and not refused.transient


def test_extra_headers_are_sent(servers, loopback):
    url = servers.flaky()
    client = MLClient(url, headers={"X-Team": "blue"}, auth=("u", "p"))
    assert client.setup(project="1.1", schema="<View/>").ok
    seen = client.session.get(url + "/_requests").json()[-1]
    assert seen["headers"]["x-team"] == "blue" and seen["authorization"].startswith("Basic ")


def test_transient_failures_are_retried_with_backoff(servers, loopback):
    url = servers.flaky("--fail-every", "1")  # every batch fails once
    client = MLClient(url, retries=2, backoff=0.05)
    result = client.predict(tasks=TASKS, project="1.1", label_config="<View/>")
    assert result.ok and result.attempts == 2
    no_retry = MLClient(url, retries=0).predict(tasks=[{"id": 9, "data": {}}], project="1.1", label_config="")
    assert not no_retry.ok and no_retry.status_code == 500 and no_retry.transient


def test_a_slow_backend_times_out(servers, loopback):
    url = servers.flaky("--hang-batch", "1", "--hang-seconds", "3")
    started = time.monotonic()
    result = MLClient(url, timeout=0.5, retries=0).predict(tasks=TASKS, project="1.1", label_config="")
    assert not result.ok and "timed out" in result.error and result.transient
    assert time.monotonic() - started < 3


def test_responses_are_size_limited(servers, loopback):
    url = servers.flaky("--pad-bytes", str(3 * 1024 * 1024))
    small = MLClient(url, max_bytes=1024 * 1024).predict(tasks=TASKS, project="1.1", label_config="")
    assert not small.ok and "larger than 1 MB" in small.error
    assert MLClient(url).predict(tasks=TASKS, project="1.1", label_config="").ok  # under the 20 MB default


def test_a_dead_backend_is_a_value_not_an_exception(loopback):
    from tests.live import free_port

    port = free_port()
    result = MLClient(f"http://127.0.0.1:{port}", retries=1, backoff=0.01).health()
    assert not result.ok and "cannot connect" in result.error
    # a sentence for the Models page, not urllib3's repr chain (issue 11)
    assert result.error == (
        f"cannot connect: nothing is listening at 127.0.0.1:{port} (connection refused). Is the ML backend running?"
    )
    assert "HTTPConnectionPool" not in result.error and "object at 0x" not in result.error


def test_loopback_and_private_urls_are_refused_unless_allowed(settings):
    settings.ALLOW_LOOPBACK_URLS = False
    settings.ALLOW_PRIVATE_URLS = False
    result = MLClient("http://127.0.0.1:9/").health()
    assert not result.ok and "loopback" in result.error
    assert "private" in MLClient("http://10.1.2.3:9/").health().error
    assert "scheme" in MLClient("file:///etc/passwd").health().error
