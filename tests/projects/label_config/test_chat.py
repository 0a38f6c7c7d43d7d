"""<Chat>: config errors name the attribute, chatmessage results and task data are checked."""

import pytest

from projects.label_config import parse
from projects.label_config.data import validate_task_data

CHAT = (
    '<View><Chat name="chat" value="$chat" messageroles="user,assistant" editable="true" maxMessages="$max"/>'
    '<View visibleWhen="region-selected" whenRole="assistant">'
    '<Rating name="accuracy" toName="chat" perRegion="true"/></View></View>'
)


def message(role="user", content="Hi", **extra):
    chatmessage = {"role": role, "content": content, **extra}
    return {
        "id": "m1",
        "from_name": "chat",
        "to_name": "chat",
        "type": "chatmessage",
        "value": {"chatmessage": chatmessage},
    }


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ('<View><Chat name="chat"/></View>', "attribute value is required"),
        ('<View><Chat name="chat" value="literal"/></View>', 'value must be "$key"'),
        ('<View><Chat name="chat" value="$c" toName="other"/></View>', "toName of a <Chat> must be its own name"),
        (
            '<View><Chat name="chat" value="$c" minMessages="0"/></View>',
            "attribute minMessages: expected an integer >= 1",
        ),
        (
            '<View><Chat name="chat" value="$c" maxMessages="many"/></View>',
            "attribute maxMessages: expected an integer",
        ),
        ('<View><Chat name="chat" value="$c" minMessages="4" maxMessages="2"/></View>', "maxMessages (2) is below"),
        ('<View><Chat name="chat" value="$c" messageroles="user,,"/></View>', "attribute messageroles"),
        ('<View><Chat name="chat" value="$c" editable="maybe!"/></View>', "attribute editable"),
    ],
)
def test_config_errors(config, error):
    with pytest.raises(ValueError) as info:
        parse(config)
    assert error in str(info.value)


def test_chat_is_an_object_and_the_control_of_its_messages():
    config = parse(CHAT)
    assert "chat" in config.objects and config.controls["chat"].result_type == "chatmessage"
    assert config.controls["accuracy"].to_names == ["chat"]
    assert config.data_keys == ["chat"]


def test_chatmessage_results():
    config = parse(CHAT)
    rating = {"id": "chat_1", "from_name": "accuracy", "to_name": "chat", "type": "rating", "value": {"rating": 4}}
    assert config.validate_result([message(createdAt=1700000000000), rating]) == []
    fields = lambda r: [(e.field, e.message) for e in config.validate_result(r)]  # noqa: E731
    assert fields([message(role="robot")])[0][0] == "value.chatmessage.role"
    assert fields([message(content=3)])[0][0] == "value.chatmessage.content"
    assert fields([message(createdAt="now")])[0][0] == "value.chatmessage.createdAt"
    assert fields([{**message(), "value": {"text": "x"}}])[0][0] == "value.chatmessage"
    assert fields([{**message(), "to_name": "other"}])[0][0] == "to_name"


def test_chat_task_data():
    config = parse(CHAT)
    assert validate_task_data(config, {"chat": [{"role": "user", "content": "Hi"}]}) == []
    assert "expected a list of messages" in validate_task_data(config, {"chat": "Hi"})[0]
    problems = validate_task_data(config, {"chat": [{"role": "user", "content": 5}]})
    assert problems and "message 0: expected text content" in problems[0]


def test_sample_data_of_a_chat_validates():
    from projects.label_config import sample_task

    config = parse(CHAT)
    data = sample_task(config)
    assert [m["role"] for m in data["chat"]] == ["user", "assistant"]
    assert validate_task_data(config, data) == []


def test_pairwise_of_two_candidate_conversations():
    config = parse(
        '<View><Chat name="a" value="$a"/><Chat name="b" value="$b"/><Pairwise name="better" toName="a,b"/></View>'
    )
    item = {"from_name": "better", "to_name": "better", "type": "pairwise", "value": {"selected": "right"}}
    assert config.validate_result([item]) == []
    assert config.validate_result([{**item, "value": {"selected": "middle"}}]) != []
