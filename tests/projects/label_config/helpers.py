"""Small config snippets shared by the label_config tests."""

from projects.label_config import parse


def view(*lines: str) -> str:
    """A config: the given lines inside <View>, one per line (line 1 is <View>)."""
    return "\n".join(["<View>", *lines, "</View>"])


def config(*lines: str):
    return parse(view(*lines))


def item(from_name, to_name, type_, value, **extra):
    return {
        "id": extra.pop("id", f"{from_name}-1"),
        "from_name": from_name,
        "to_name": to_name,
        "type": type_,
        "value": value,
        **extra,
    }
