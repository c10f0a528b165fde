"""The fictional company put together, and written out as its site, organization and
member files."""

from __future__ import annotations

from collections.abc import Iterator

from generator.demo import pools
from generator.demo.orgchart import plan_branches, plan_general_branches
from generator.demo.quarters import quarter_list
from generator.demo.rules import demo_rules
from generator.demo.shape import DemoShape
from generator.demo.staff import appoint_leaders, staff
from generator.demo.world import Branch, GeneralBranch, World
from generator.model import schema as s


def build_world(shape: DemoShape) -> World:
    """Plan the company: its rules, branches and members, then who leads."""
    quarters = quarter_list(shape.quarters)
    rules = demo_rules(quarters)
    branches = plan_branches(shape, quarters, rules)
    staff(shape, branches)
    # A 党总支 per line; with hundreds of branches, one per hundred branches per line.
    general = plan_general_branches(branches, per_line=max(1, shape.branches // 100))
    chair = appoint_leaders(branches, general)
    return World(shape, quarters, rules, branches, general, chair)


def site_file() -> s.SiteConfig:
    company = pools.company()
    return s.SiteConfig(
        company=company.company,
        title=company.title,
        committee=company.committee,
        disclosure=company.disclosure,
        policy=s.Policy(problem_types=list(pools.problems().types)),
    )


def organization_files(world: World) -> Iterator[tuple[str, s.Organization]]:
    company = pools.company()
    committee = s.Organization(
        id=company.committee,
        name=f"中共{company.company}委员会",
        kind="党委",
        unit=company.company,
        secretary=world.chair,
    )
    yield f"organizations/{committee.id}.yaml", committee
    for general in world.general_branches:
        yield f"organizations/{general.id}.yaml", _general_branch_record(general)
    for branch in world.branches:
        yield f"organizations/{branch.id}.yaml", _branch_record(branch)


def _general_branch_record(general: GeneralBranch) -> s.Organization:
    return s.Organization(
        id=general.id,
        name=general.name,
        kind="党总支",
        parent=pools.company().committee,
        unit=general.unit,
        secretary=general.secretary,
    )


def _branch_record(branch: Branch) -> s.Organization:
    return s.Organization(
        id=branch.id,
        name=branch.name,
        kind="党支部",
        parent=branch.parent,
        unit=branch.dept.name,
        unit_type=branch.unit_type,
        secretary=branch.secretary.id,
        categories=branch.spans,
        groups=branch.groups,
    )


def member_files(world: World) -> Iterator[tuple[str, s.MembersFile]]:
    """Each branch's members: those who left keep their entry, those who came follow."""
    for branch in world.branches:
        members = [
            s.Member(
                id=p.id,
                name=p.name,
                post=p.post,
                role=p.role,
                group=p.group,
                joined_on=p.joined_on,
                left_on=p.left_on,
                left_reason=p.left_reason,
                moved_to=p.moved_to,
            )
            for p in branch.roster
        ]
        yield f"members/{branch.id}.yaml", s.MembersFile(branch=branch.id, members=members)
