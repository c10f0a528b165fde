"""The assessment rules the fictional company works under, as ``Rules`` records.

They are made once per dataset and are the demo's only source of the dimensions,
their maxima and the extra items: scoring reads them from here, and the ranking that
decides the blue lists reads the very same records.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from generator.demo import pools
from generator.model import schema as s

HALF = Decimal("0.5")  # the scoring step


def demo_rules(quarters: list[str]) -> list[s.Rules]:
    """The versions in force over ``quarters`` (oldest first): the first version from
    the first quarter, and each revision whose quarter falls after it and in the span."""
    pool = pools.rules()
    first = quarters[0]
    year = first[:4]
    return [
        _version(pool, version, version.since or first, year)
        for version in pool.versions
        if version.since is None or first < version.since <= quarters[-1]
    ]


def rule_files(rules: list[s.Rules]) -> Iterator[tuple[str, s.Rules]]:
    for version in rules:
        yield f"rules/{version.id}.yaml", version


def maxima(rules: s.Rules, category: s.CategoryName) -> dict[str, Decimal]:
    """Each dimension's maximum for ``category``, in the rules' order of dimensions."""
    return {dimension.name: dimension.max[category] for dimension in rules.dimensions}


def extra_item(rules: s.Rules, unit_type: s.UnitType) -> s.ExtraItem:
    """The extra item (贡献度 or 融合度) a branch of this unit type is scored on."""
    return next(item for item in rules.extra_items if item.applies_to == unit_type)


def ranked_categories(rules: s.Rules) -> list[s.CategoryName]:
    """Categories whose red and blue lists go by rank (first and last), not a threshold."""
    return [
        category
        for category in s.CATEGORIES
        if (rule := rules.categories.get(category))
        and any(lst and (lst.top or lst.bottom) for lst in (rule.red, rule.blue))
    ]


def _version(pool: pools.RulesPool, version: pools.RulesVersion, since: str, year: str) -> s.Rules:
    return s.Rules(
        id=version.id.format(year=year),
        title=version.title.format(year=year),
        effective_from=since,
        dimensions=[
            s.DimensionRule(
                name=name,
                max={
                    category: Decimal(str(version.maxima[category][i])) for category in s.CATEGORIES
                },
            )
            for i, name in enumerate(pool.dimensions)
        ],
        extra_items=list(pool.extra_items),
        categories=dict(pool.categories),
        ties=pool.ties,
        yearly_weight=Decimal(str(pool.yearly_weight)),
        step=HALF,
    )
