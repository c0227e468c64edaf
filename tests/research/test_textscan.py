"""The one-pass term scanner: whole words, `requires` rules, Keras dating, on generated texts."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fwatlas.textscan import TextScanner, frameworks_from_words, scan_text
from fwatlas.vocabulary import TextTerm

FILLER = ("We train a convolutional network on ImageNet and report top-1 accuracy. " * 40)


def paper(*insertions: str) -> str:
    """A paper-length text with the given phrases spread through it."""
    parts = [FILLER]
    for phrase in insertions:
        parts += [phrase, FILLER]
    return "\n".join(parts)


def test_jax_is_found_as_a_whole_word_only() -> None:
    assert scan_text(paper("Our code uses JAX and Flax."), 2022).frameworks == ("jax",)
    assert "jax" in scan_text(paper("implemented in jax."), 2022).terms
    # substrings of other words are not JAX
    assert scan_text(paper("an AJAX front end", "the Ajaxian style"), 2022).frameworks == ()
    assert scan_text(paper("jax-based training"), 2022).frameworks == ("jax",)


def test_haiku_needs_jax_or_deepmind_in_the_same_text() -> None:
    assert scan_text(paper("a haiku about networks"), 2021).frameworks == ()
    hit = scan_text(paper("We use Haiku", "from DeepMind"), 2021)
    assert hit.frameworks == ("jax",) and "haiku" in hit.terms
    assert scan_text(paper("Haiku on top of jax"), 2021).terms == ("haiku", "jax")


def test_mxnet_paddle_and_both() -> None:
    assert scan_text(paper("built with MXNet"), 2019).frameworks == ("mxnet",)
    assert scan_text(paper("a gluon field in QCD"), 2019).frameworks == ()
    assert scan_text(paper("Gluon API of mxnet"), 2019).terms == ("gluon", "mxnet")
    assert scan_text(paper("PaddlePaddle"), 2020).frameworks == ("paddle",)
    both = scan_text(paper("PyTorch", "TensorFlow"), 2019)
    assert both.frameworks == ("pytorch", "tensorflow")
    assert both.terms == ("pytorch", "tensorflow")


def test_keras_is_tensorflow_before_keras_3_and_keras_after() -> None:
    assert scan_text(paper("implemented in Keras"), 2019).frameworks == ("tensorflow",)
    assert scan_text(paper("implemented in Keras"), 2023).frameworks == ("tensorflow",)
    assert scan_text(paper("implemented in Keras"), 2024).frameworks == ("keras",)
    assert scan_text(paper("kerasification"), 2019).frameworks == ()


def test_case_insensitive_and_multiword_terms() -> None:
    hit = scan_text(paper("PYTORCH LIGHTNING trainer", "OpenNMT-tf baseline"), 2021)
    assert hit.frameworks == ("pytorch", "tensorflow")
    assert set(hit.terms) == {"pytorch", "pytorch lightning", "opennmt-tf"}


def test_tracker_words_map_pt_tf_and_leave_bare_opennmt_unmapped() -> None:
    assert frameworks_from_words(["pt", "google.com"], 2019).frameworks == ("pytorch",)
    assert frameworks_from_words(["tf", "allennlp"], 2019).frameworks == ("pytorch",
                                                                          "tensorflow")
    assert frameworks_from_words(["opennmt"], 2018).frameworks == ()
    assert frameworks_from_words(["fb.com", "google brain"], 2018).frameworks == ()


# --- property: the one-pass scanner agrees with a per-term regular expression oracle ----------

TERMS = [
    TextTerm("pytorch", "pytorch"), TextTerm("torch.nn", "pytorch", whole_word=True),
    TextTerm("tensorflow", "tensorflow"), TextTerm("jax", "jax", whole_word=True),
    TextTerm("haiku", "jax", whole_word=True, requires=("jax", "deepmind")),
    TextTerm("mxnet", "mxnet"),
]
TOKENS = ["pytorch", "PyTorch", "torch.nn", "torch.nnx", "tensorflow", "jax", "ajax", "jax_",
          "Jax", "haiku", "deepmind", "mxnet", "mx", "net", "a", "b", "é", "_", "1"]
SEPARATORS = [" ", "", "-", ".", "\n", "_", "/"]


def oracle(text: str) -> set[str]:
    low = text.lower()
    plain = {"pytorch": "pytorch", "tensorflow": "tensorflow", "mxnet": "mxnet"}
    found = {t for t, s in plain.items() if s in low}
    for t in ("torch.nn", "jax", "haiku"):
        if re.search(r"(?<![\w])" + re.escape(t) + r"(?![\w])", low):
            found.add(t)
    if "haiku" in found and not ("jax" in found or "deepmind" in low):
        found.discard("haiku")
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(SEPARATORS)), max_size=30))
def test_one_pass_scan_matches_per_term_regex(parts: list[tuple[str, str]]) -> None:
    text = "".join(tok + sep for tok, sep in parts)
    scanner = TextScanner(TERMS)
    assert set(scanner.scan(text, 2020).terms) == oracle(text)
