"""XML text -> a tree of ``Node`` (tag, attributes, children, text, line).

We drive expat ourselves (to keep line numbers) and apply defusedxml's protections: any DOCTYPE
(``forbid_dtd``), entity declaration (``forbid_entities``) or external reference is refused before
anything is expanded, so "billion laughs" and XXE configs fail at once with a clear message.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from .errors import LabelConfigError

MAX_CONFIG_CHARS = 1_000_000
MAX_DEPTH = 64
MAX_TAGS = 20_000


@dataclass
class Node:
    tag: str
    line: int
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    text: str = ""
    parent: Node | None = field(default=None, repr=False)

    def get(self, name: str, default: str | None = None) -> str | None:
        """Attribute by name, case-insensitively (``toName`` == ``toname``)."""
        if name in self.attrs:
            return self.attrs[name]
        lowered = name.lower()
        for key, value in self.attrs.items():
            if key.lower() == lowered:
                return value
        return default

    def iter(self) -> Iterator[Node]:
        """This node and all descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.iter()


class _TreeBuilder:
    def __init__(self, parser: expat.XMLParserType):
        self.parser = parser
        self.root: Node | None = None
        self.stack: list[Node] = []
        self.count = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.count += 1
        if self.count > MAX_TAGS:
            raise LabelConfigError(f"the config has more than {MAX_TAGS} tags", line=self.parser.CurrentLineNumber)
        if len(self.stack) >= MAX_DEPTH:
            raise LabelConfigError(
                f"tags are nested deeper than {MAX_DEPTH} levels", line=self.parser.CurrentLineNumber
            )
        node = Node(tag=tag, line=self.parser.CurrentLineNumber, attrs=dict(attrs))
        if self.stack:
            node.parent = self.stack[-1]
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        node = self.stack.pop()
        node.text = node.text.strip()

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].text += text

    # defusedxml's protections (forbid_dtd=True, forbid_entities=True, forbid_external=True)
    def doctype(self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> None:
        raise DTDForbidden(name, sysid, pubid)

    def entity_decl(
        self,
        name: str,
        is_parameter_entity: bool,
        value: str | None,
        base: str | None,
        sysid: str | None,
        pubid: str | None,
        notation_name: str | None,
    ) -> None:
        raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)

    def unparsed_entity_decl(
        self, name: str, base: str | None, sysid: str, pubid: str | None, notation_name: str
    ) -> None:
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)

    def external_ref(self, context: str, base: str | None, sysid: str | None, pubid: str | None) -> int:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)


def parse_xml(text: str | bytes) -> Node:
    """Parse config text into a ``Node`` tree or raise ``LabelConfigError`` with the line."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LabelConfigError(f"the config is not UTF-8 text ({exc.reason})") from None
    if not isinstance(text, str):
        raise LabelConfigError(f"the config must be XML text, got {type(text).__name__}")
    if len(text) > MAX_CONFIG_CHARS:
        raise LabelConfigError(f"the config is longer than {MAX_CONFIG_CHARS} characters")
    if not text.strip():
        raise LabelConfigError("the config is empty; it must be XML with a <View> root")

    parser = expat.ParserCreate()
    builder = _TreeBuilder(parser)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = builder.doctype
    parser.EntityDeclHandler = builder.entity_decl
    parser.UnparsedEntityDeclHandler = builder.unparsed_entity_decl
    parser.ExternalEntityRefHandler = builder.external_ref
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(text, True)
    except DTDForbidden:
        raise LabelConfigError(
            "DOCTYPE declarations are not allowed in a labeling config (they enable entity-expansion "
            "and external-entity attacks)",
            line=parser.CurrentLineNumber,
        ) from None
    except (EntitiesForbidden, ExternalReferenceForbidden, DefusedXmlException):
        raise LabelConfigError(
            "entity declarations and external references are not allowed in a labeling config",
            line=parser.CurrentLineNumber,
        ) from None
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code)
        raise LabelConfigError(f"not well-formed XML: {message} (column {exc.offset + 1})", line=exc.lineno) from None
    assert builder.root is not None  # expat refuses a document without a root element
    return builder.root
