"""The office's Excel ledgers (台账): records out to a workbook and back into YAML.

Offices keep their rolls and forms in Excel. Each ``board export-…`` writes every
field of the records of its scope (internal ones too: the workbooks are the office's
own, never published; their 说明 sheet says so), and ``import-…`` reads them back,
with the guarantees kept once in ``base.py``: export then import changes nothing,
byte for byte; every bad cell is reported by sheet, row and column, in Chinese; the
whole dataset is checked with the new files before anything is written; exported ids
are locked; text is never a formula.

* ``roll.py``: the member roll (党员名册) and the commitment ledger (承诺台账).
* ``comparisons.py``: 三比三看, a branch's year-end form.
* ``stars.py``: 星级党支部 (ratings, criteria, teams: 双星联动).
* ``problems.py``: 整改台账, the follow-up of the quarters' problem lists (滚动销号).
* ``indicators.py``: 指标红榜, the performance department's table of a quarter.
"""

from generator.model.ledgers.base import LEDGERS, Exported, Imported, Ledger
from generator.model.ledgers.comparisons import export_comparisons, import_comparisons
from generator.model.ledgers.indicators import export_indicators, import_indicators
from generator.model.ledgers.problems import export_problems, import_problems
from generator.model.ledgers.roll import (
    COMMITMENT_COLUMNS,
    MEMBER_COLUMNS,
    STEP_COLUMNS,
    export_commitments,
    export_members,
    import_commitments,
    import_members,
)
from generator.model.ledgers.stars import export_stars, import_stars

__all__ = [
    "COMMITMENT_COLUMNS",
    "LEDGERS",
    "MEMBER_COLUMNS",
    "STEP_COLUMNS",
    "Exported",
    "Imported",
    "Ledger",
    "export_commitments",
    "export_comparisons",
    "export_indicators",
    "export_members",
    "export_problems",
    "export_stars",
    "import_commitments",
    "import_comparisons",
    "import_indicators",
    "import_members",
    "import_problems",
    "import_stars",
]
