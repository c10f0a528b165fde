"""The layout of the office's workbooks: sheet and column names exports write and
imports read, so a downloaded workbook is always a valid import."""

from __future__ import annotations

SCORE_SHEET, DEDUCTION_SHEET, RESULT_SHEET = "得分", "扣分", "结果"
ID, NAME, DATE, GROUP = "党组织编号", "党组织名称", "检查日期", "检查组"
DEDUCTION_COLUMNS = [ID, "维度", "扣分", "问题"]
