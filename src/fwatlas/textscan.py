"""Which frameworks a free text mentions, found in one pass over the text.

Every term of the vocabulary's ``text`` section goes into one Aho-Corasick automaton, so a paper
of any length is read once whatever the number of terms (a search per term would read it forty
times). Rules the automaton cannot express are applied to its few hits: ``whole_word`` terms must
sit between non-word characters, and a ``requires`` term counts only when one of its companions
also matched in the same text. ``keras`` is dated: TensorFlow evidence before Keras 3, Keras
after (``vocabulary.keras_category``); so are the vocabulary's ``dated`` terms (``torch`` before
PyTorch's first release is Lua Torch, ``vocabulary.term_category``). The result keeps the
matched terms so that every count can be explained.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import ahocorasick

from fwatlas import vocabulary as vocab
from fwatlas.vocabulary import TextTerm


@dataclass(frozen=True)
class TextMatch:
    """What one text mentions: vocabulary terms (sorted) and framework categories (in order)."""

    terms: tuple[str, ...]
    frameworks: tuple[str, ...]


@dataclass(frozen=True)
class _Entry:
    term: str
    framework: str | None  # None: only a companion of some `requires` rule
    whole_word: bool
    requires: tuple[str, ...]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class TextScanner:
    """A compiled matcher for a list of text terms (default: the vocabulary's)."""

    def __init__(self, terms: list[TextTerm] | None = None) -> None:
        terms = vocab.text_terms() if terms is None else terms
        entries: dict[str, _Entry] = {}
        for t in terms:
            if t.term in entries and entries[t.term].framework not in (None, t.framework):
                raise ValueError(f"text term {t.term!r} is listed under two frameworks")
            entries[t.term] = _Entry(t.term, t.framework, t.whole_word, t.requires)
        for t in terms:
            for companion in t.requires:
                entries.setdefault(companion, _Entry(companion, None, False, ()))
        self._entries = list(entries.values())
        self._automaton = ahocorasick.Automaton()
        for i, e in enumerate(self._entries):
            self._automaton.add_word(e.term, i)
        self._automaton.make_automaton()
        order = vocab.categories()
        self._rank = {c: i for i, c in enumerate(order)}

    @property
    def terms(self) -> list[str]:
        """Every term the scanner looks for (framework terms only)."""
        return [e.term for e in self._entries if e.framework is not None]

    def found(self, text: str) -> set[str]:
        """Terms present in ``text`` after the whole-word rule (companions included)."""
        low = text.lower()
        n = len(low)
        hit: set[int] = set()
        entries = self._entries
        for end, idx in self._automaton.iter(low):
            if idx in hit:
                continue
            e = entries[idx]
            if e.whole_word:
                start = end - len(e.term) + 1
                if start > 0 and _is_word_char(low[start - 1]):
                    continue
                if end + 1 < n and _is_word_char(low[end + 1]):
                    continue
            hit.add(idx)
        return {entries[i].term for i in hit}

    def scan(self, text: str, when: dt.date | int | None) -> TextMatch:
        """The terms and frameworks ``text`` mentions; ``when`` (year or date) dates ``keras``."""
        present = self.found(text)
        terms: list[str] = []
        frameworks: set[str] = set()
        for e in self._entries:
            if e.framework is None or e.term not in present:
                continue
            if e.requires and not any(r in present for r in e.requires):
                continue
            terms.append(e.term)
            category = vocab.term_category(e.term, e.framework, when)
            if category is not None:  # a dated term before its date may name no framework
                frameworks.add(category)
        return TextMatch(tuple(sorted(terms)),
                         tuple(sorted(frameworks, key=lambda f: self._rank.get(f, 99))))


@cache
def default_scanner() -> TextScanner:
    """The scanner over the bundled vocabulary, built once per process."""
    return TextScanner()


def scan_text(text: str, when: dt.date | int | None) -> TextMatch:
    """Frameworks a text mentions, with the default vocabulary."""
    return default_scanner().scan(text, when)


def frameworks_from_words(words: list[str], when: dt.date | int | None) -> TextMatch:
    """The same answer for a tracker's keyword list (``metadata.words``) instead of a text."""
    terms: list[str] = []
    frameworks: set[str] = set()
    for w in words:
        fw = vocab.word_framework(w)
        if fw is None:
            continue
        terms.append(w.strip().lower())
        category = vocab.term_category(w, fw, when)
        if category is not None:
            frameworks.add(category)
    rank = {c: i for i, c in enumerate(vocab.categories())}
    return TextMatch(tuple(sorted(set(terms))),
                     tuple(sorted(frameworks, key=lambda f: rank.get(f, 99))))
