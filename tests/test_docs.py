"""The data-format page cannot drift from the model: every example in it must validate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.model.kinds import kinds
from generator.model.yamlio import load_file
from tests.conftest import ROOT

PAGE = ROOT / "content" / "data-format.md"
BLOCK = re.compile(r'```yaml title="data/([^"]+)"\n(.*?)```', re.S)
EXAMPLES = BLOCK.findall(PAGE.read_text(encoding="utf-8"))


def test_the_page_has_an_example_of_every_file_kind() -> None:
    shown = {kind.name for rel, _ in EXAMPLES for kind in kinds() if kind.pattern.fullmatch(rel)}
    assert shown == {kind.name for kind in kinds()}


@pytest.mark.parametrize(("rel", "text"), EXAMPLES, ids=[rel for rel, _ in EXAMPLES])
def test_example_is_valid_for_its_file_kind(tmp_path: Path, rel: str, text: str) -> None:
    kind = next(k for k in kinds() if k.pattern.fullmatch(rel))
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_file(path, f"data/{rel}")
    assert loaded.problems == []
    kind.file_type.model_validate(loaded.data)


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["make build", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_score_example_adds_up_under_the_rules_example() -> None:
    """The page's own arithmetic: its assessment under its rules gives the base it states."""
    from generator.model import schema
    from generator.ranking.scoring import score_card
    from generator.text import number

    examples = dict(EXAMPLES)
    rules = schema.Rules.model_validate(_loaded("rules/2025-v2.yaml", examples))
    assessment = schema.Assessment.model_validate(
        _loaded("assessments/2026Q3/b01-yunwei.yaml", examples)
    )
    card = score_card(assessment, rules, "Ⅰ")
    page = PAGE.read_text(encoding="utf-8")
    assert f"基础得分是 100 − {number(card.deducted)} = {number(card.base)} 分" in page
    for d in card.dimensions:
        if d.deducted:
            assert (
                f"{d.name} {number(d.maximum)} − {number(d.deducted)} = {number(d.score)} 分"
                in page
            )


def _loaded(rel: str, examples: dict[str, str]) -> object:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.yaml"
        path.write_text(examples[rel], encoding="utf-8")
        return load_file(path, f"data/{rel}").data
