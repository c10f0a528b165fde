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
