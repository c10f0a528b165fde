"""Members: how many each branch has, their names, posts, roles and 党小组.

Everything here draws from the "members" generator: first the branch sizes, then
branch by branch its names, its roles and each member's post. Member ids run
m0001, m0002... across the branches in org-chart order.
"""

from __future__ import annotations

import random

from generator.demo import pools
from generator.demo.draws import section_rng
from generator.demo.naming import Names, ordinal
from generator.demo.shape import DemoShape
from generator.demo.world import Branch, GeneralBranch, Person
from generator.model import schema as s

BRANCH_COMMITTEE: list[s.Role] = ["支部书记", "组织委员", "宣传委员", "纪检委员"]


def staff(shape: DemoShape, branches: list[Branch]) -> None:
    """Give every branch its members, roles and 党小组."""
    rng = section_rng(shape, "members")
    names = Names(rng)
    next_id = 1
    for branch, size in zip(branches, _branch_sizes(rng, branches, shape.members), strict=True):
        ids = [member_id(shape, n) for n in range(next_id, next_id + size)]
        branch.people = _people(rng, branch, ids, names.distinct(size))
        branch.groups = _groups(branch)
        next_id += size


def member_id(shape: DemoShape, n: int) -> str:
    """The n-th member's id: m0001, m0002... (wider when there are more members)."""
    return f"m{n:0{max(4, len(str(shape.members)))}d}"


def _branch_sizes(rng: random.Random, branches: list[Branch], total: int) -> list[int]:
    """About the same number per branch (±30%, more in big departments), summing to total."""
    weights = [rng.uniform(0.75, 1.3) * (1.2 if b.dept.big else 1.0) for b in branches]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    _even_out(sizes, total)
    return sizes


def _even_out(sizes: list[int], total: int) -> None:
    """Add or take one member per branch in turn until the sizes sum to ``total``."""
    diff, i = total - sum(sizes), 0
    while diff:
        j = i % len(sizes)
        if diff > 0 or sizes[j] > 1:
            step = 1 if diff > 0 else -1
            sizes[j] += step
            diff -= step
        i += 1


def _people(rng: random.Random, branch: Branch, ids: list[str], names: list[str]) -> list[Person]:
    roles = _roles(rng, len(ids))
    groups = [f"{branch.id}-g{j + 1}" for j in range(_group_count(len(ids)))]
    leaders = [i for i, role in enumerate(roles) if role == "党小组组长"]
    people = []
    for i, (pid, name, role) in enumerate(zip(ids, names, roles, strict=True)):
        # Each group leader leads their own group; the others are dealt out in turn.
        group = groups[leaders.index(i)] if i in leaders else groups[i % len(groups)]
        people.append(Person(pid, name, _post(rng, branch, role), role, group))
    return people


def _group_count(size: int) -> int:
    return 2 if size >= 12 else 1


def _roles(rng: random.Random, size: int) -> list[s.Role]:
    """Secretary first, then the branch committee, group leaders, members, probationers."""
    committee = list(BRANCH_COMMITTEE) if size >= 6 else BRANCH_COMMITTEE[:1]
    if size >= 16 and rng.random() < 0.4:
        committee.append("青年委员")
    leaders: list[s.Role] = ["党小组组长"] * _group_count(size)
    probationers: list[s.Role] = ["预备党员"] * rng.choice((0, 0, 1, 1, 2))
    roles = (committee + leaders)[:size]
    rest = size - len(roles)
    probationers = probationers[: max(0, rest - 1)]
    plain: list[s.Role] = ["党员"] * (rest - len(probationers))
    return roles + plain + probationers


def _post(rng: random.Random, branch: Branch, role: str) -> str:
    posts = pools.company().posts
    if role == "支部书记":  # usually the department's deputy head
        return posts.secretary_of_station if branch.dept.name.endswith("所") else posts.secretary
    return rng.choice(branch.work.posts)


def _groups(branch: Branch) -> list[s.PartyGroup]:
    count = _group_count(len(branch.people))
    leaders = [p.id for p in branch.people if p.role == "党小组组长"]
    return [
        s.PartyGroup(
            id=f"{branch.id}-g{j + 1}",
            name=f"{ordinal(j + 1)}党小组" if count > 1 else "党小组",
            leader=leaders[j] if j < len(leaders) else None,
        )
        for j in range(count)
    ]


# ---------------------------------------------------------------- leaders


def appoint_leaders(branches: list[Branch], general_branches: list[GeneralBranch]) -> str | None:
    """Committee and 党总支 secretaries are members of an ordinary branch: the office's,
    the party-building department's, each 党总支's first branch. Returns the chair."""
    posts = pools.company().posts
    chair = _promote(_first_branch(branches, "bangong"), "党委书记", posts.chair)
    _promote(_first_branch(branches, "dangjian"), "党委副书记", posts.deputy_chair)
    for general in general_branches:
        general.secretary = _promote(general.children[0], "总支书记", posts.general_secretary)
    return chair


def _first_branch(branches: list[Branch], slug: str) -> Branch:
    by_slug = [b for b in branches if b.dept.slug == slug]
    head_office = [b for b in branches if b.dept.head_office]
    return (by_slug or head_office or branches)[0]


def _promote(branch: Branch, role: s.Role, post: str) -> str | None:
    """Give the branch's first plain 党员 a leading role; None if it has none to spare."""
    for person in branch.people:
        if person.role == "党员":
            person.role, person.post = role, post
            return person.id
    return None
