"""Property tests: the loader never fails but with a located error, escaping never leaks."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import personal
from generator.markup import active_content
from generator.model.yamlio import LoadFailed, hidden_character, load_file
from generator.text import html_text, md_text

SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def load(tmp_path: Path, raw: bytes) -> object:
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    loaded = load_file(path, "data/x.yaml")
    if loaded.problems:
        raise LoadFailed(loaded.problems[0])
    return loaded.data


def ends_cleanly(tmp_path: Path, raw: bytes) -> None:
    """Either data, or a LoadFailed carrying a located Chinese message: nothing else."""
    try:
        load(tmp_path, raw)
    except LoadFailed as exc:
        assert re.match(r"data/x\.yaml:\d+:\d+: ", str(exc.problem)), exc.problem
        assert re.search(r"[\u4e00-\u9fff]", exc.problem.message), exc.problem


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_load_or_give_a_located_error(tmp_path: Path, raw: bytes) -> None:
    ends_cleanly(tmp_path, raw)


YAMLISH = st.text(
    alphabet=st.sampled_from([*"ab01:-[]{}&*!|>'\"#%@`,? \n\t\\.~", "中", "文", "\ufeff"]),
    max_size=300,
)


@SETTINGS
@given(YAMLISH)
def test_yaml_like_text_loads_or_gives_a_located_error(tmp_path: Path, text: str) -> None:
    ends_cleanly(tmp_path, text.encode("utf-8"))


# Control, direction and zero-width characters are refused on purpose (their own
# property test below); NEL, LS and PS are line breaks to YAML 1.1: PyYAML's own dumper
# folds them away.
TEXT = st.characters(exclude_characters="\x85\u2028\u2029", exclude_categories=("Cs", "Cc", "Cf"))
scalars = (
    st.text(alphabet=TEXT, max_size=30)
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False, width=64)
    | st.booleans()
    | st.none()
    | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(alphabet=TEXT, max_size=10), inner, max_size=5)
    ),
    max_leaves=25,
)


@SETTINGS
@given(st.dictionaries(st.text(alphabet=TEXT, max_size=10), documents, min_size=1, max_size=5))
def test_what_safe_dump_writes_reads_back_the_same(tmp_path: Path, data: dict[str, object]) -> None:
    raw = yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
    assert load(tmp_path, raw) == as_written(data)


def as_written(value: object) -> object:
    """A float comes back as the decimal number its text says (``0.1`` is exactly 0.1)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, list):
        return [as_written(v) for v in value]
    if isinstance(value, dict):
        return {k: as_written(v) for k, v in value.items()}
    return value


MD = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "toc"])


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


@SETTINGS
@given(st.text(max_size=200))
def test_escaped_text_renders_as_plain_text_and_nothing_else(text: str) -> None:
    out = MD.reset().convert(md_text(text))
    parsed = Elements()
    parsed.feed(out)
    assert all(tag == "p" and not attrs for tag, attrs in parsed.tags), out
    expected = str(md_text(text))  # compare what a reader sees with the input, spaces collapsed
    spaced = re.sub(r"[\r\n\t\v\f\x85\u2028\u2029]+", " ", text)
    wanted = re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]", "", spaced)  # controls dropped
    seen = " ".join(parsed.text.split())
    assert seen == " ".join(wanted.split()), (text, expected, out)


@SETTINGS
@given(st.text(max_size=100))
def test_escaped_text_stays_in_its_table_cell(text: str) -> None:
    table = f"| a | b | c |\n| --- | --- | --- |\n| 1 | {md_text(text)} | 3 |\n"
    out = MD.reset().convert(table)
    assert out.count("<td>") == 3 and "<td>1</td>" in out and "<td>3</td>" in out, out


# ------------------------------------------------------------ the output scanner

_HANDLERS = st.sampled_from(["onerror", "onload", "onclick", "onfocus", "ontoggle", "onmouseover"])
_TAGS = st.sampled_from(["img", "svg", "a", "div", "details", "input", "body", "video", "p"])
_SEPARATORS = st.sampled_from([" ", "/", "\n", "\t", "\f", " /", "\r\n"])
_BEFORE = st.sampled_from(["", ' alt=">"', " alt='>'", ' x="', " src=x", ' title="a b"', " a=b/"])


def _random_case(draw: st.DrawFn, word: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if f else c for c, f in zip(word, flips, strict=True))


@st.composite
def live_html(draw: st.DrawFn) -> str:
    """A tag a browser would run: some handler, in any case, after tricky attributes."""
    tag = _random_case(draw, draw(_TAGS))
    handler = _random_case(draw, draw(_HANDLERS))
    before = draw(_BEFORE).replace('x="', "")  # an unclosed quote would swallow the handler
    separator = draw(_SEPARATORS)
    if before.endswith(("=x", "=b/")) and not separator[0].isspace():
        separator = " " + separator  # after an unquoted value "/" is part of the value
    quote = draw(st.sampled_from(['"', "'", ""]))
    return f"<p>文字</p><{tag}{before}{separator}{handler}={quote}x(1){quote}>尾"


@SETTINGS
@given(live_html())
def test_the_scanner_finds_every_generated_handler(html: str) -> None:
    kinds = {kind for kind, _ in active_content(html)}
    assert "事件处理属性" in kinds, html


@SETTINGS
@given(st.sampled_from(["script", "iframe", "object", "embed", "base", "frameset"]), st.data())
def test_the_scanner_finds_every_generated_active_tag(tag: str, data: st.DataObject) -> None:
    written = data.draw(st.builds(lambda flips: "".join(
        c.upper() if f else c for c, f in zip(tag, flips, strict=False)
    ), st.lists(st.booleans(), min_size=len(tag), max_size=len(tag))))  # fmt: skip
    separator = data.draw(st.sampled_from([">", " >", "/>", " a=b>", "\n>"]))
    assert list(active_content(f"<div><{written}{separator}alert(1)</{written}></div>")), written


@SETTINGS
@given(
    st.text(
        alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="0123456789"),
        max_size=80,
    )
)
def test_escaped_text_never_looks_live_to_the_scanner(text: str) -> None:
    """Whatever the data says, once escaped it is text: in content and in attributes."""
    safe = html_text(text)
    html = f'<p class="x">{safe}</p><a href="../a.html" title="{safe}">{safe}</a><td>{safe}</td>'
    assert list(active_content(html)) == [], text


@SETTINGS
@given(
    st.text(
        alphabet=st.characters(categories=("Cc", "Cf"), exclude_characters="\t\n\r\x85"),
        min_size=1,
        max_size=3,
    )
)
def test_invisible_characters_are_refused_with_their_place(tmp_path: Path, hidden: str) -> None:
    """Written raw or as a YAML escape: a located message naming the character, or (for
    format characters that change nothing, like the soft hyphen) the text as written."""
    for raw in (
        json.dumps("林" + hidden + "平", ensure_ascii=False),
        _escaped("林" + hidden + "平"),
    ):
        try:
            loaded = load(tmp_path, f"name: {raw}".encode())
        except LoadFailed as exc:
            assert re.match(r"data/x\.yaml:1:\d+: ", str(exc.problem)), exc.problem
            assert "U+" in exc.problem.message, exc.problem
            continue
        assert loaded == {"name": "林" + hidden + "平"}
        assert not any(hidden_character(c) for c in hidden), hidden


def _escaped(text: str) -> str:
    return '"' + "".join(c if c.isprintable() else f"\\U{ord(c):08x}" for c in text) + '"'


# The scanner's number and passport patterns are written to start with the character
# they start at, so that the engine skips to it fast (personal.py); as first written,
# with the place before them checked first, they read as their definition.
_SEPARATOR = "[ \\t\\-.()（）－．\u00a0\u2000-\u200f\u202f\u205f\u2060\u3000\ufeff]"
PLAIN_PATTERNS = {
    "_RUN": re.compile(
        rf"(?<![0-9A-Za-z])\+?[0-9](?:{_SEPARATOR}{{0,2}}[0-9]){{9,24}}[Xx]?(?![0-9A-Za-z])"
    ),
    "_PASSPORT": re.compile(
        r"(?<![0-9A-Za-z])(?:[EGDSPH][0-9]{8}|E[A-HJ-NP-Z][0-9]{7})(?![0-9A-Za-z])"
    ),
}
NUMBER_PIECES = st.sampled_from(
    [*"0123456789", "+", "X", "x", "E", "G", "A", "a", "Z", " ", "-", "（", "\u3000", "\u200b",
     "号", "·", "1391234", "E1234", "EA12", "+86 "]
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(NUMBER_PIECES, max_size=30).map("".join))
def test_the_fast_number_patterns_find_what_their_definitions_find(text: str) -> None:
    for name, plain in PLAIN_PATTERNS.items():
        fast = getattr(personal, name)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
