"""The org chart: which departments get a branch, their categories, and the 党总支s.

The branches follow the company's departments (company.yaml) in org-chart order. A
small shape takes a mix of field and office departments; a large one gives the big
departments extra branches first. Everything here draws from the "organizations"
generator, in this order: the category split, then each branch's quality.
"""

from __future__ import annotations

import random

from generator.demo import pools
from generator.demo.draws import section_rng
from generator.demo.naming import ordinal
from generator.demo.shape import DemoShape
from generator.demo.world import Branch, GeneralBranch
from generator.model import schema as s

# How well a branch tends to score is drawn from this much up to 1, by the category it
# starts in: weaker branches sit in the lower categories.
QUALITY_FLOOR = dict(zip(s.CATEGORIES, (0.5, 0.4, 0.2), strict=True))


def plan_branches(shape: DemoShape, quarters: list[str], rules: list[s.Rules]) -> list[Branch]:
    rng = section_rng(shape, "organizations")
    spans = _category_spans(rng, shape.branches, quarters, rules)
    committee = pools.company().committee
    return [
        Branch(
            index=i,
            id=_branch_id(i, dept, k, shape.branches),
            name=f"{dept.name}{ordinal(k) if count > 1 else ''}党支部",
            dept=dept,
            spans=spans[i],
            quality=rng.uniform(QUALITY_FLOOR[spans[i][0].category], 1.0),
            parent=committee,  # until a 党总支 takes it
        )
        for i, (dept, k, count) in enumerate(_dept_sequence(shape.branches))
    ]


def _branch_id(i: int, dept: pools.Department, k: int, total: int) -> str:
    """``b01-yunwei`` while short readable ids fit; ``b00001`` style for large shapes."""
    if total > 99:
        return f"b{i + 1:0{max(4, len(str(total)))}d}"
    return f"b{i + 1:02d}-{dept.slug}" + (f"-{k}" if k > 1 else "")


def _dept_sequence(total: int) -> list[tuple[pools.Department, int, int]]:
    """The department of each branch, in org-chart order: (department, k-th, of count)."""
    departments = pools.company().departments
    counts = _dept_counts(total)
    return [
        (dept, k, count)
        for dept, count in zip(departments, counts, strict=True)
        for k in range(1, count + 1)
    ]


def _dept_counts(total: int) -> list[int]:
    company = pools.company()
    departments = company.departments
    if total <= len(departments):
        chosen = set(company.pick_order[:total])
        return [int(dept.slug in chosen) for dept in departments]
    counts = [1] * len(departments)
    # Large departments take the extra branches first (twice per round), then everyone.
    big = [i for i, dept in enumerate(departments) if dept.big]
    cycle = big * 2 + list(range(len(departments)))
    for j in range(total - len(departments)):
        counts[cycle[j % len(cycle)]] += 1
    return counts


def _category_spans(
    rng: random.Random, total: int, quarters: list[str], rules: list[s.Rules]
) -> list[list[s.CategorySpan]]:
    """Split branches about 11/11/9 over the categories (as in the 31-branch sample);
    one branch of the second later moves up to the first."""
    order = list(range(total))
    rng.shuffle(order)
    top, middle, bottom = s.CATEGORIES
    first = second = round(total * 11 / 31)
    cats = [top] * first + [middle] * second + [bottom] * (total - first - second)
    spans: list[list[s.CategorySpan]] = [[] for _ in range(total)]
    for position, index in enumerate(order):
        spans[index] = [s.CategorySpan(since=quarters[0], category=cats[position])]
    change = _review_quarter(quarters, rules)
    if change and second:
        spans[order[first]].append(s.CategorySpan(since=change, category=top))
    return spans


def _review_quarter(quarters: list[str], rules: list[s.Rules]) -> str | None:
    """When the categories were reviewed: with the revised rules, if they are in force
    within the span; else halfway; never with a single quarter."""
    if len(rules) > 1:
        return rules[-1].effective_from
    return quarters[len(quarters) // 2] if len(quarters) > 1 else None


def plan_general_branches(branches: list[Branch], per_line: int) -> list[GeneralBranch]:
    """Group each line's branches under its 党总支 (``per_line`` of them when large)."""
    by_line: dict[str, list[Branch]] = {}
    for branch in branches:
        if branch.dept.line:
            by_line.setdefault(branch.dept.line, []).append(branch)
    found: list[GeneralBranch] = []
    for line, members in by_line.items():
        found += _line_general_branches(line, members, min(per_line, len(members)))
    return found


def _line_general_branches(line: str, members: list[Branch], count: int) -> list[GeneralBranch]:
    names = pools.company().lines[line]
    made = [
        GeneralBranch(
            f"zz-{line}" + (f"-{j + 1}" if count > 1 else ""),
            f"{names.short}{ordinal(j + 1) if count > 1 else ''}党总支",
            names.unit,
        )
        for j in range(count)
    ]
    for position, branch in enumerate(members):
        # Contiguous blocks, so each 党总支 covers neighbouring branches.
        general = made[position * count // len(members)]
        general.children.append(branch)
        branch.parent = general.id
    return made
