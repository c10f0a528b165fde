"""Personal numbers and addresses in text, however they are written: the board never
publishes them (个人信息保护法).

One detector for the data checks (each find located at its file, line and field) and
for the output scanner (the last line of defence over every output file). It errs
toward stopping: a number that looks like an ID, a mobile, a bank card or a passport
is a finding even if it is something else; a known false positive (a public service
hotline) goes in ``site.yaml`` ``privacy.allowlist`` with a reason.

How numbers hide, and what undoes it before matching:

- full-width digits and letters (１３９, Ｘ), full-width spaces;
- separators between digit groups: spaces, hyphens, dots, no-break and thin spaces,
  zero-width characters (U+200B-U+200F, U+2060, U+FEFF);
- prefixes: +86, 0086, 86, a leading 0 before a mobile.

Findings are fatal (ID numbers old and new, mobiles, Luhn-valid bank cards, passports,
home addresses) or warnings (landlines, e-mail addresses, street addresses: an
office's public contact line is often one).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

# Full-width forms (U+FF10-FF19 digits, U+FF21- letters) and full-width space to ASCII.
_WIDE = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "x", "＋": "+", "\u3000": " "}
)  # fmt: skip
_SEPARATOR = "[ \\t\\-.()（）－．\u00a0\u2000-\u200f\u202f\u205f\u2060\u3000\ufeff]"
# A run of at least ten digits that may be split into groups by one or two separator
# characters, optionally ending in the ID number's X, with no letter or digit right
# before or after: every personal number has ten digits or more, and most numbers on a
# page (scores, dates, counts) are shorter, so they never reach the Python below.
# Written to start with the character it starts at (a "+" or a digit), its place before
# checked by looking back: the regular expression engine then skips to such characters
# at C speed instead of trying the pattern at every character of a page.
_RUN = re.compile(
    rf"[+0-9](?<![0-9A-Za-z][+0-9])(?:(?<=\+)[0-9]|(?<=[0-9]))"
    rf"(?:{_SEPARATOR}{{0,2}}[0-9]){{9,24}}[Xx]?(?![0-9A-Za-z])"
)
_SPLIT = re.compile(rf"{_SEPARATOR}+|[+＋]")
_WIDE_CHARS = re.compile("[\uff10-\uff19\uff38\uff58\uff0b\u3000]")  # what _WIDE changes
_PASSPORT = re.compile(  # starts with its first letter, as _RUN does
    r"[EGDSPH](?<![0-9A-Za-z][EGDSPH])(?:[0-9]{8}|(?<=E)[A-HJ-NP-Z][0-9]{7})(?![0-9A-Za-z])"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_HOME = re.compile(
    r"[\u4e00-\u9fff]{1,12}(?:小区|花园|公寓|家园|新村|苑|村)[^，。；\n]{0,8}?"
    r"[0-9一二三四五六七八九十]+(?:号楼|栋|幢|座)[^，。；\n]{0,6}?(?:[0-9]+单元)?[^，。；\n]{0,4}?[0-9]+(?:室|号|户)"
    r"|[0-9]+(?:号楼|栋|幢)[0-9]+单元[0-9]+室"
)
_STREET = re.compile(r"[\u4e00-\u9fff]{2,12}(?:路|街|大道|巷|弄|胡同)[0-9]+号")
_LANDLINE = re.compile(r"0(?:10|2[0-9]|[3-9][0-9]{2})[2-9][0-9]{6,7}")  # area code, local number
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
CARD_PREFIXES = ("62", "4", "51", "52", "53", "54", "55", "34", "37", "35", "60")


@dataclass(frozen=True)
class Find:
    kind: str  # 身份证号, 手机号码...
    text: str  # as written
    fatal: bool
    shown: str  # masked, for messages and logs

    def __str__(self) -> str:
        return f"{self.kind}（{self.shown}）"


def id_check_digit_valid(number: str) -> bool:
    """ISO 7064 MOD 11-2, as GB 11643 defines the 18th character."""
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def masked(text: str) -> str:
    """Enough to find it, not enough to use it: the first 3 and last 2 characters."""
    plain = re.sub(r"\s+", "", text)
    return plain[:3] + "*" * max(len(plain) - 5, 1) + plain[-2:] if len(plain) > 5 else "***"


def finds(text: str, allowlist: frozenset[str] = frozenset()) -> Iterator[Find]:
    """Every personal number or address in ``text``, unless allowlisted as written or
    as its bare digits."""
    wide = text.translate(_WIDE) if _WIDE_CHARS.search(text) else text
    for match in _RUN.finditer(wide):
        found = _number(match.group())
        if found is not None and not _allowed(match.group(), allowlist):
            yield Find(found[0], match.group(), found[1], masked(match.group()))
    for pattern, hints, kind, fatal in _PATTERNS:
        if not all(hint.search(wide) for hint in hints):  # cannot match: not run
            continue
        for match in pattern.finditer(wide):
            if not _allowed(match.group(), allowlist):
                yield Find(kind, match.group(), fatal, masked(match.group()))


# Each pattern with cheap ones that every text it matches must also match: the
# address patterns start with a run of Chinese characters, tried at every character
# of a page; the words they need are found much faster. (A home address needs both a
# place word and a building number: a branch in a 村 names the first on many pages.)
_PATTERNS = (
    (_PASSPORT, (re.compile(r"[EGDSPH]"),), "护照号码", True),
    (
        _HOME,
        (
            re.compile("小区|花园|公寓|家园|新村|苑|村|单元"),
            re.compile("[0-9一二三四五六七八九十](?:号楼|栋|幢|座)"),
        ),
        "家庭住址",
        True,
    ),
    (_EMAIL, (re.compile("@"),), "电子邮箱", False),
    (_STREET, (re.compile(r"(?:路|街|大道|巷|弄|胡同)[0-9]+号"),), "街道地址", False),
)


def _allowed(text: str, allowlist: frozenset[str]) -> bool:
    return text in allowlist or re.sub(r"[^0-9Xx]", "", text) in allowlist


def _number(run: str) -> tuple[str, bool] | None:
    """What a run of digit groups is, if it is a personal number: (kind, fatal)."""
    groups = [g for g in _SPLIT.split(run) if g]
    digits = "".join(groups)
    # Five or more groups of one to three digits are a row of numbers (a table of
    # scores read as text: "15 15 15 15 10 10 10 10"), never how an ID is written
    # (a mobile may be: "139 12 34 56 78", checked below).
    row = len(groups) >= 5 and all(len(g) <= 3 for g in groups)
    if not row:
        found = _id_number(digits)
        if found is not None:
            return found
    if not digits.isdigit():
        return None
    mobile = _mobile(digits)
    if mobile and (len(groups) == 1 or all(len(g) >= 2 for g in groups)):
        return ("手机号码", True)
    if 16 <= len(digits) <= 19 and digits.startswith(CARD_PREFIXES) and luhn_valid(digits):
        return ("银行卡号", True)
    if _LANDLINE.fullmatch(digits) and len(groups) <= 3:
        return ("固定电话", False)
    return None


def _id_number(digits: str) -> tuple[str, bool] | None:
    if len(digits) == 18 and digits[:17].isdigit() and _birth_date(digits[6:14]):
        valid = id_check_digit_valid(digits)
        return ("身份证号" if valid else "疑似身份证号（校验位不符）", True)
    old_id = len(digits) == 15 and digits.isdigit() and digits[0] in "12345678"
    if old_id and _birth_date("19" + digits[6:12]):
        return ("身份证号（15 位）", True)
    return None


def _mobile(digits: str) -> bool:
    for prefix in ("0086", "86", "0"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            digits = digits[len(prefix) :]
            break
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def _birth_date(yyyymmdd: str) -> bool:
    if not yyyymmdd.isdigit() or not yyyymmdd.startswith(("18", "19", "20")):
        return False
    try:
        dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return True
