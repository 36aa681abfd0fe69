"""Bad and odd input: empty, huge, not English, not text. Each ends cleanly or says why not.

No test here measures time (bench/claims_parse.py does); instead they check the property
that keeps the parser linear: no clause it works on is longer than MAX_CLAUSE_TOKENS, so
the work per clause is bounded and the total grows with the length of the text.
"""

from __future__ import annotations

import random

import pytest

from bilateral.claims.document import TextInputError, decode, read_document
from bilateral.claims.evidence import NoEvidence
from bilateral.claims.parse import MAX_CLAUSE_TOKENS, _clauses, parse_text
from bilateral.claims.verify import check

SENTENCE = "Bilateral turnover in 2022 increased by more than 10% and reached $27 billion. "


def test_empty_text_has_no_claims():
    parsed = parse_text("")
    assert (parsed.claims, parsed.skipped, parsed.notes) == ([], [], [])
    assert check(parsed, NoEvidence()) == []


def test_whitespace_only_text_has_no_claims():
    assert parse_text(" \n\t\n ").claims == []


def test_a_megabyte_of_text_is_read_whole():
    text = SENTENCE * (1_000_000 // len(SENTENCE) + 1)
    assert len(text.encode()) > 1_000_000
    parsed = parse_text(text)
    assert len(parsed.claims) == 2 * text.count("reached")
    assert {c.indicator for c in parsed.claims} == {"turnover_growth", "turnover"}


@pytest.mark.parametrize(
    "unit",
    [
        pytest.param("12 ", id="numbers"),
        pytest.param("$", id="dollar-signs"),
        pytest.param("1-", id="dashes"),
        pytest.param("5% of wheat and ", id="percentages"),
        pytest.param("Russia ", id="country-names"),
        pytest.param(". ", id="full-stops"),
        pytest.param("a" * 1000 + " ", id="long-words"),
    ],
)
def test_one_endless_sentence_is_cut_into_bounded_clauses(unit):
    text = unit * (100_000 // len(unit))
    document = read_document(text)
    for sentence in document.sentences:
        assert all(len(c.tokens) <= MAX_CLAUSE_TOKENS + 1 for c in _clauses(sentence))
    parse_text(text)  # and the whole text is parsed without error


def test_a_run_of_digits_is_not_a_number():
    assert parse_text("1" * 100_000).claims == []


def test_text_not_in_english_gets_a_note_and_no_claims():
    text = "Товарооборот между Казахстаном и Россией в 2022 году вырос на 9,5% и достиг 27 млрд."
    parsed = parse_text(text, name="ru.txt")
    assert parsed.claims == []
    assert parsed.notes == [
        "ru.txt: the text is not in English (most letters are not Latin); the claim checker "
        "reads English texts, so no claims were looked for"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"PK\x03\x04\x14\x00\x00\x00",
            r"doc\.bin: holds a NUL byte at offset 5, so it is binary",
            id="zip-header",
        ),
        pytest.param(
            "Trade grew".encode("cp1251") + b" \xe2\xe5\xf0",
            r"doc\.bin: byte 0xe2 at offset 11 is not UTF-8",
            id="cp1251",
        ),
        pytest.param(
            bytes(range(1, 32)) * 40,
            r"doc\.bin: \d+ control characters in 1,240; this looks like binary",
            id="control-characters",
        ),
    ],
)
def test_binary_or_non_utf8_input_is_a_clear_error(data, message):
    with pytest.raises(TextInputError, match=message):
        decode(data, "doc.bin")


def test_random_bytes_are_refused_or_read_without_claims():
    generator = random.Random(4)
    for _ in range(20):
        data = bytes(generator.randrange(256) for _ in range(5000))
        try:
            text = decode(data, "garbage.bin")
        except TextInputError as error:
            assert str(error).startswith("garbage.bin: ")
            continue
        assert isinstance(parse_text(text).claims, list)  # pragma: no cover - rare valid UTF-8


def test_a_utf8_byte_order_mark_is_dropped():
    assert decode("\ufeffTrade".encode()) == "Trade"
