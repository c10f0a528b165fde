"""``board demo``: a deterministic, wholly fictional dataset of any size.

``write_demo`` invents a company (示例能源有限公司), its party organizations, members,
commitments and their 督诺 rounds, 微心愿, demonstration units, quarterly assessments,
interviews and notices, and the current year's comings and goings of members, as model
records written through the model's writer. The same shape always writes
byte-identical files (see ``draws.py``). Names come from the name pools; there are no
phone or ID numbers anywhere. Every step is linear in the number of branches, members
and quarters, so the same code writes the 31-branch sample and the scale tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from generator.demo.assessments import assess_quarters, round_files
from generator.demo.commitments import commitment_files
from generator.demo.company import build_world, member_files, organization_files, site_file
from generator.demo.followup import blue_lists, interview_files, notice_files
from generator.demo.moves import named_until, plan_moves
from generator.demo.rules import rule_files
from generator.demo.shape import DemoShape, check_shape
from generator.demo.units import unit_files
from generator.demo.wishes import wish_files
from generator.demo.world import World
from generator.model.writer import record_text
from generator.model.yamlio import gc_paused


def write_demo(out_dir: Path, shape: DemoShape) -> int:
    """Write a deterministic fictional dataset; return the number of files written."""
    check_shape(shape)
    made: set[Path] = set()
    count = 0
    # Each file is a tree of records, then of plain values, then of YAML nodes: tens of
    # thousands of objects that live just long enough to be promoted and rescanned by
    # full collections, which took a fifth of the time. None of them is in a cycle
    # (reference counting frees them), so the collector is paused, as for loading.
    with gc_paused():
        for rel, model in demo_files(shape):
            path = out_dir / rel
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            # Bytes, not text: no newline translation, so files are identical on every OS.
            # Not atomic: the folder is new (``board demo`` refuses one that is not empty).
            path.write_bytes(record_text(model).encode("utf-8"))
            count += 1
    return count


def demo_files(shape: DemoShape) -> Iterator[tuple[str, BaseModel]]:
    """Every file of the dataset by its place under data/, section by section."""
    world = build_world(shape)
    # The units and 微心愿 are drawn from the roster the span started with; then the
    # year's comings and goings, which leave everyone they name in charge in place.
    units, wishes = list(unit_files(world)), list(wish_files(world))
    plan_moves(world, named_until([*units, *wishes]))
    yield from _ranked_files(world)
    yield from commitment_files(world)
    yield from wishes
    yield from units
    yield from notice_files(world)


def _ranked_files(world: World) -> Iterator[tuple[str, BaseModel]]:
    """The site, organizations, members, rules, assessments and interviews.

    The assessments come before the interviews on purpose: the ranking of their files
    (with the site, organizations and rules) decides who is on each quarter's blue
    list, and so who is interviewed. Kept apart so that the quarters' records are
    freed once the interviews are out: the later sections do not need them.
    """
    settings: dict[str, BaseModel] = {"site.yaml": site_file()}
    settings.update(organization_files(world))
    settings.update(rule_files(world.rules))
    yield from settings.items()
    yield from member_files(world)
    rounds = assess_quarters(world)
    scores = round_files(rounds)
    yield from scores.items()
    yield from interview_files(world, rounds, blue_lists({**settings, **scores}))
