from hypothesis import given
from hypothesis import strategies as st

from detente.extract.quotemarks import SINGLE_MARKS, quoted_spans

from .conftest import entity


def texts_of(text, quotes):
    return [[text[a:b] for a, b in parts] for parts in quotes]


# ---------------------------------------------------------------- quotation marks


def test_curly_straight_and_mixed_marks():
    text = 'He said “We agree,” and "we will sign." Then "It is done,” she said.'
    assert texts_of(text, quoted_spans(text)) == [["We agree"], ["we will sign."], ["It is done"]]


def test_a_quote_left_open_ends_where_the_next_opens():
    text = "“First part never closed. “Second part,” he added."
    assert texts_of(text, quoted_spans(text)) == [["First part never closed."], ["Second part"]]


def test_a_quote_runs_over_paragraphs_when_the_next_opens_with_a_mark():
    text = "“One paragraph without a close\n\n“And the next one,” she said.\n\n“Unrelated open\n\nPlain text after."
    assert texts_of(text, quoted_spans(text)) == [
        ["One paragraph without a close", "And the next one"],
        ["Unrelated open"],
    ]


def test_nested_straight_quotes_and_apostrophes_stay_inside():
    text = '“They called it "a disaster" and it’s the Kremlin’s view,” he said.'
    assert texts_of(text, quoted_spans(text)) == [['They called it "a disaster" and it’s the Kremlin’s view']]


def test_single_marks_skip_apostrophes():
    text = "Putin’s ‘no limits’ friendship isn’t over"
    assert texts_of(text, quoted_spans(text, SINGLE_MARKS)) == [["no limits"]]


@given(st.lists(st.sampled_from(["word", " ", "“", "”", '"', ",", ".", "\n", "’s", "Moscow"]), max_size=40))
def test_spans_are_ordered_inside_the_text_and_without_marks(pieces):
    text = "".join(pieces)
    last = 0
    for parts in quoted_spans(text):
        for a, b in parts:
            assert last <= a < b <= len(text)
            assert text[a:b] == text[a:b].strip() and "\n" not in text[a:b]
            assert text[a] not in "“”" and text[b - 1] not in "“,"
            last = b


# ---------------------------------------------------------------- attribution


def test_split_quote_is_one_record_with_two_parts(extract):
    text = "Russian analyst Anna Petrova spoke in Moscow. “The talks went well,” Petrova said, “and we expect more.”"
    r = extract(text)
    (q,) = r.quotes
    assert q.direct and q.cue == "said" and q.speaker == entity(r, "Anna Petrova").id
    assert [text[p.start : p.end] for p in q.parts] == ["The talks went well", "and we expect more."]
    assert q.text == "The talks went well and we expect more."
    assert (q.start, q.end) == (q.parts[0].start, q.parts[1].end)


def test_reported_speech_and_pronoun_speaker(extract):
    text = "Anna Petrova arrived in Moscow on Monday. She told reporters that the two sides had agreed on a schedule."
    r = extract(text)
    (q,) = r.quotes
    assert not q.direct and q.cue == "told" and q.speaker_text == "She"
    assert text[q.start : q.end] == "the two sides had agreed on a schedule"
    assert q.speaker == entity(r, "Anna Petrova").id and q.reasons is None


def test_partial_quote_inside_reported_speech_and_states_speaking(extract):
    text = "The Kremlin said the talks were “frank and useful.” According to Beijing, the visit was a success."
    r = extract(text)
    direct = [q for q in r.quotes if q.direct]
    reported = [q for q in r.quotes if not q.direct]
    assert [(q.text, q.speaker) for q in direct] == [("frank and useful.", "state:RUS")]
    assert {(q.text, q.speaker, q.cue) for q in reported} == {
        ("the talks were “frank and useful.”", "state:RUS", "said"),
        ("the visit was a success", "state:CHN", "according to"),
    }


def test_several_speakers_and_inverted_attribution(extract):
    r = extract("“Cooperation will deepen,” argued Anna Petrova and Ivan Sokolov.")
    (q,) = r.quotes
    assert q.speakers == [entity(r, "Anna Petrova").id, entity(r, "Ivan Sokolov").id]
    assert q.speaker_text == "Anna Petrova and Ivan Sokolov" and q.cue == "argued"


def test_a_quote_continued_in_the_next_sentence_keeps_its_speaker(extract):
    r = extract("“We will not back down,” said Maria Lindqvist, a Swedish diplomat. “The border is ours.”")
    assert [(q.text, q.speaker, q.cue) for q in r.quotes] == [
        ("We will not back down", entity(r, "Maria Lindqvist").id, "said"),
        ("The border is ours.", entity(r, "Maria Lindqvist").id, None),
    ]


def test_scare_quotes_and_names_are_not_quotes(extract):
    r = extract("China rejected the so-called “nine-dash line” ruling, and a “red line” was crossed in the sea.")
    assert r.quotes == []


def test_a_quoted_title_before_its_noun_is_no_quote(extract):
    r = extract("“We will not back down,” Minister Ana Duarte told the “Meet the Nation” program on Sunday.")
    assert [q.text for q in r.quotes] == ["We will not back down"]
    r = extract("“If the talks end, I think these duties will come off,” Trade Minister Ana Duarte told NBC’s “Meet "
                "the Press” show.")  # fmt: skip
    assert [q.text for q in r.quotes] == ["If the talks end, I think these duties will come off"]


def test_unattributed_quote_and_unknown_speaker_carry_reasons(extract):
    r = extract("“We are ready to talk at any time and in any place,” the ministry said.\n\n“He will come back.”")
    assert [(q.speaker, q.speakers, q.reasons) for q in r.quotes] == [
        (None, [], {"speaker": "the speaker 'the ministry' names no entity"}),
        (None, [], {"speaker": "the speaker 'the ministry' names no entity"}),
    ]
    r = extract("“The border will be reopened when the talks are over.”")
    assert r.quotes[0].reasons == {"speaker": "no attribution in the sentence or the one before"}


def test_nothing_from_credits(extract):
    r = extract("Talks resumed in Geneva on Monday after a long pause.\n\nPhoto by John Smith “says it all”")
    assert r.quotes == []


def test_transcript_turns_name_their_speakers(extract):
    text = (
        "U.S. Secretary of State Daniel Hartley met Foreign Minister Li Qiang in Rome.\n\n"
        "SECRETARY HARTLEY:  Good morning.\n\nWe had good talks.\n\n"
        "FOREIGN MINISTER LI:  (Via interpreter) Thank you."
    )
    r = extract(text)
    hartley, li = r.quotes
    assert hartley.speaker == entity(r, "Daniel Hartley").id and hartley.speaker_text == "HARTLEY"
    assert [text[p.start : p.end] for p in hartley.parts] == ["Good morning.", "We had good talks."]
    assert li.speaker == entity(r, "Li Qiang").id and li.text == "Thank you."
    assert hartley.direct and hartley.cue is None


# ---------------------------------------------------------------- development texts


def quote_at(doc, result, words, direct=True):
    start = doc.text.index(words)
    return next(q for q in result.quotes if q.direct == direct and any(p.start <= start < p.end for p in q.parts))


def test_dev_experts_quoted_through_pronouns_and_continuations(dev_result):
    doc, r = dev_result("01")
    hecker = entity(r, "Charles Hecker").id
    for words in ("There’s only so much oil in Norway", "And so, these kinds of companies", "Part of that alternative"):
        assert quote_at(doc, r, words).speaker == hecker, words
    gatov = entity(r, "Vasily Gatov").id
    assert quote_at(doc, r, "China does not perceive Russia").speaker == gatov
    assert quote_at(doc, r, "marching in lockstep").speaker == gatov
    assert quote_at(doc, r, "the Chinese leadership has reasons").cue == "added"
    putin = quote_at(doc, r, "he wants to create an alternative", direct=False)
    assert putin.speaker == entity(r, "Vladimir Putin").id


def test_dev_every_quote_is_grounded_and_most_have_a_speaker(dev_result):
    quotes = with_speaker = 0
    for prefix in ("03", "05", "06", "07", "09", "10"):
        doc, r = dev_result(prefix)
        assert r.quotes, prefix
        for q in r.quotes:
            assert q.text == " ".join(doc.text[p.start : p.end] for p in q.parts)
            assert q.speakers or q.reasons
        quotes += len(r.quotes)
        with_speaker += sum(1 for q in r.quotes if q.speaker)
    assert with_speaker / quotes >= 0.8


def test_dev_transcript_turns(dev_result):
    doc, r = dev_result("28")
    blinken, wang = r.quotes
    assert blinken.speaker == entity(r, "Antony Blinken").id and len(blinken.parts) == 3
    assert wang.speaker == entity(r, "Wang Yi").id
    assert doc.text[wang.start :].startswith("China and the United States are two major countries")


def test_inverted_parenthetical_speaker(extract):
    res = extract("The real test of the new pact, say some diplomats, is whether trade grows.")
    assert [q.speaker_text for q in res.quotes] == ["some diplomats"]


def test_the_bare_title_speaks_for_its_holder_named_before(extract):
    res = extract(
        "Foreign Minister Penny Wong met Wang Yi in Beijing. The Minister reiterated that Australia wants stable ties."
    )
    speakers = [q.speaker for q in res.quotes]
    assert speakers and speakers[0] is not None and "wong" in speakers[0] and "wang" not in speakers[0]
