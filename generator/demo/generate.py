"""``board demo``: a deterministic, wholly fictional dataset of any size.

``write_demo`` invents a company (示例能源有限公司), its party organizations, members,
commitments and their 督诺 rounds, 微心愿, demonstration units, quarterly assessments
and their problems' follow-up, interviews and notices, the current year's comings and
goings of members, the finished year's 三比三看 and 星级党支部, and each quarter's
指标红榜, as model records written through the model's writer. The same shape always writes
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
from generator.demo.comparisons import comparison_files
from generator.demo.followup import blue_lists, interview_files, notice_files
from generator.demo.indicators import indicator_files
from generator.demo.moves import named_until, plan_moves
from generator.demo.problems import Inspected, follow_up, inspected_in
from generator.demo.rules import rule_files
from generator.demo.shape import YEARS, DemoShape, check_shape
from generator.demo.stars import star_files
from generator.demo.units import unit_files
from generator.demo.wishes import wish_files
from generator.demo.world import World
from generator.model import schema as s
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
    # The finished year's 三比三看 and star ratings follow what its inspections found and
    # how its 民主评诺 rated each member: the sections before them note both here.
    year = YEARS[0]
    inspected: dict[str, Inspected] = {}
    ratings: dict[str, list[str]] = {}
    yield from _ranked_files(world, year, inspected)
    yield from _noting_ratings(commitment_files(world), year, ratings)
    yield from wishes
    yield from units
    yield from notice_files(world)
    yield from comparison_files(world, year, ratings)
    yield from star_files(world, year, inspected)
    yield from indicator_files(world)


def _ranked_files(
    world: World, year: int, inspected: dict[str, Inspected]
) -> Iterator[tuple[str, BaseModel]]:
    """The site, organizations, members, rules, assessments and interviews; notes in
    ``inspected`` what the inspections of ``year`` found in each branch.

    The ranking of the assessments' files (with the site, organizations and rules)
    decides who is on each quarter's blue list, and so who is interviewed; the
    problems' follow-up then closes what the interviews' items closed. Kept apart so
    that the quarters' records are freed once the interviews are out: the later
    sections need only what ``inspected`` notes.
    """
    settings: dict[str, BaseModel] = {"site.yaml": site_file()}
    settings.update(organization_files(world))
    settings.update(rule_files(world.rules))
    yield from settings.items()
    yield from member_files(world)
    rounds = assess_quarters(world)
    blue = blue_lists({**settings, **round_files(rounds)})
    interviews = list(interview_files(world, rounds, blue))
    rounds = follow_up(world, rounds, (interview for _, interview in interviews))
    inspected.update(inspected_in(rounds, year))
    yield from round_files(rounds).items()
    yield from interviews


def _noting_ratings(
    files: Iterator[tuple[str, BaseModel]], year: int, ratings: dict[str, list[str]]
) -> Iterator[tuple[str, BaseModel]]:
    """The files as they are, noting in ``ratings`` each member's 民主评诺 ratings of ``year``."""
    for rel, record in files:
        if isinstance(record, s.CommitmentsFile) and record.year == year:
            for c in record.commitments:
                rated = [r.rating for r in c.progress if r.rating is not None]
                ratings.setdefault(c.member, []).extend(rated)
        yield rel, record
