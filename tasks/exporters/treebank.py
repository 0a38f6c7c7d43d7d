"""Penn Treebank word tokenization with character offsets — the tokens Label Studio's converter
writes to CoNLL-2003 (it calls NLTK's ``TreebankWordTokenizer().span_tokenize``).

The rules are the Penn Treebank tokenizer's (Robert MacIntyre's sed script), in the order and form
NLTK's TreebankWordTokenizer applies them (Apache-2.0), so the tokens are the same; a unit test
compares both on a corpus (tests/tasks/exporters/test_units.py, NLTK is a test-only dependency).
Done here rather than importing NLTK at run time: importing it costs seconds and ~140 MB, and
its tokenizer routes every rule through a timed regex wrapper. The rules are linear patterns.

Steps: rewrite the text with spaces around each token (quotes become ``````/``''``), split on
whitespace, then find each token in the text from where the previous one ended (a rewritten
quote is matched with the quote it came from).
"""

from __future__ import annotations

import re

_RULES_BEFORE_PADDING = [
    # opening quotes
    (r'^"', "``"),
    (r"(``)", r" \1 "),
    (r"([ (\[{<])(\"|'{2})", r"\1 `` "),
    # punctuation
    (r"([:,])([^\d])", r" \1 \2"),
    (r"([:,])$", r" \1 "),
    (r"\.\.\.", " ... "),
    (r"[;@#$%&]", r" \g<0> "),
    (r"([^.])(\.)([\])}>\"']*)\s*$", r"\1 \2\3 "),  # a final period
    (r"[?!]", r" \g<0> "),
    (r"([^'])' ", r"\1 ' "),
    # brackets and double dashes
    (r"[\][(){}<>]", r" \g<0> "),
    (r"--", " -- "),
]
_RULES_AFTER_PADDING = [
    # closing quotes and clitics
    (r"''", " '' "),
    (r'"', " '' "),
    (r"([^' ])('[sS]|'[mM]|'[dD]|') ", r"\1 \2 "),
    (r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", r"\1 \2 "),
    # words written as one that are two (cannot, gonna, 'tis ...)
    *[
        (rf"(?i)\b({a})({b})\b", r" \1 \2 ")
        for a, b in (("can", "not"), ("d", "'ye"), ("gim", "me"), ("gon", "na"), ("got", "ta"), ("lem", "me"))
    ],
    (r"(?i)\b(more)('n)\b", r" \1 \2 "),
    (r"(?i)\b(wan)(na)(?=\s)", r" \1 \2 "),
    (r"(?i) ('t)(is)\b", r" \1 \2 "),
    (r"(?i) ('t)(was)\b", r" \1 \2 "),
]
_BEFORE = [(re.compile(p), r) for p, r in _RULES_BEFORE_PADDING]
_AFTER = [(re.compile(p), r) for p, r in _RULES_AFTER_PADDING]
_QUOTES = re.compile(r"``|'{2}|\"")


def words(text: str) -> list[str]:
    """The Treebank tokens of ``text`` (quotes rewritten as ``````/``''``)."""
    for pattern, replacement in _BEFORE:
        text = pattern.sub(replacement, text)
    text = f" {text} "
    for pattern, replacement in _AFTER:
        text = pattern.sub(replacement, text)
    return text.split()


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the Treebank tokens in ``text``."""
    tokens = words(text)
    if '"' in text or "''" in text:
        originals = iter(_QUOTES.findall(text))
        tokens = [next(originals, t) if t in ('"', "``", "''") else t for t in tokens]
    out, point = [], 0
    for token in tokens:
        start = text.find(token, point)
        if start < 0:
            raise ValueError(f"token {token!r} not found in the text")
        point = start + len(token)
        out.append((start, point))
    return out
