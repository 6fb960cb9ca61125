"""Text as a person would say it aloud, for every voice: "In 1871, 3.5% of 2,000 readers
(Fig. 2) paid £4" -> "In eighteen seventy-one, three point five percent of two thousand
readers, figure two, paid four pounds".

Applied just before synthesis (podcast/render.py and the voice preview), so scripts,
transcripts and the turn editor keep the text as written. Numbers are worded by
`num2words`; the rules here only decide which reading a number gets (year, ordinal,
money, percent, unit, range) and spell out abbreviations and symbols.

Reading choices, where English allows several:
- a four-digit number from 1100 to 2099 without a thousands comma is a year
  ("1871" -> "eighteen seventy-one", "2005" -> "two thousand and five"); "2,000" is a count;
- "1870s" -> "eighteen seventies"; "45-47" and "1914–1918" are ranges ("to");
- "£4.50" -> "four pounds fifty"; "$3.2 million" -> "three point two million dollars";
- parentheses become pauses (commas): a listener cannot hear brackets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from num2words import num2words

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 2,000 | 3.5 | 1871
_SCALE = r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|m|k)\b)?"

# Abbreviations a listener should hear as words (the trailing period is part of them).
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\bet al\.", "and colleagues"),
    (r"\be\.\s?g\.", "for example"),
    (r"\bi\.\s?e\.", "that is"),
    (r"\betc\.", "et cetera"),
    (r"\bvs\.?(?=\s)", "versus"),
    (r"\bcf\.", "compare"),
    (r"\bapprox\.", "approximately"),
    (r"\b(?:ca|c)\.\s?(?=\d)", "circa "),
    (r"\bFigs\.(?=\s?\d)", "figures"),
    (r"\b[Ff]ig\.(?=\s?\d)", "figure"),
    (r"\b[Ee]qs?\.(?=\s?\(?\d)", "equation"),
    (r"\b[Ss]ect?\.(?=\s?\d)", "section"),
    (r"\b[Cc]h\.(?=\s?\d)", "chapter"),
    (r"\b[Vv]ol\.(?=\s?\d)", "volume"),
    (r"\bpp\.(?=\s?\d)", "pages"),
    (r"\bp\.(?=\s?\d)", "page"),
    (r"\b[Nn]o\.(?=\s?\d)", "number"),
    (r"\bDr\.(?=\s[A-Z])", "Doctor"),
    (r"\bMr\.(?=\s[A-Z])", "Mister"),
    (r"\bMrs\.(?=\s[A-Z])", "Missus"),
    (r"\bProf\.(?=\s[A-Z])", "Professor"),
    (r"\bSt\.(?=\s[A-Z])", "Saint"),
]

_CURRENCIES = {
    "£": ("pound", "pounds", "penny", "pence"),
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "¥": ("yen", "yen", "", ""),
}
_SCALES = {"k": "thousand", "m": "million", "bn": "billion"}

_UNITS = {
    "km": "kilometre",
    "cm": "centimetre",
    "mm": "millimetre",
    "m": "metre",
    "nm": "nanometre",
    "kg": "kilogram",
    "g": "gram",
    "mg": "milligram",
    "µg": "microgram",
    "t": "tonne",
    "l": "litre",
    "ml": "millilitre",
    "mL": "millilitre",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "min": "minute",
    "s": "second",
    "ms": "millisecond",
    "µs": "microsecond",
    "ns": "nanosecond",
    "Hz": "hertz",
    "kHz": "kilohertz",
    "MHz": "megahertz",
    "GHz": "gigahertz",
    "KB": "kilobyte",
    "kB": "kilobyte",
    "MB": "megabyte",
    "GB": "gigabyte",
    "TB": "terabyte",
    "W": "watt",
    "kW": "kilowatt",
    "kWh": "kilowatt hour",
    "V": "volt",
    "mph": "mile per hour",
    "km/h": "kilometre per hour",
    "mi": "mile",
    "ft": "foot",
    "lb": "pound",
    "lbs": "pound",
    "oz": "ounce",
    "dB": "decibel",
}
_PLURAL = {
    "foot": "feet",
    "hertz": "hertz",
    "kilohertz": "kilohertz",
    "megahertz": "megahertz",
    "gigahertz": "gigahertz",
    "mile per hour": "miles per hour",
    "kilometre per hour": "kilometres per hour",
    "kilowatt hour": "kilowatt hours",
}
# only units that are never ordinary words after a number ("5 in", "3 s", "2 t" are not)
_SAFE_SHORT = {"m", "g", "h", "l", "W", "V"}

_SYMBOLS: list[tuple[str, str]] = [
    (r"\s*≈\s*", " approximately equals "),
    (r"\s*≠\s*", " does not equal "),
    (r"\s*≤\s*", " is less than or equal to "),
    (r"\s*≥\s*", " is greater than or equal to "),
    (r"\s*±\s*", " plus or minus "),
    (r"\s*×\s*", " times "),
    (r"\s*÷\s*", " divided by "),
    (r"\s*→\s*", " to "),
    (r"(?<=\s)<(?=\s)", "is less than"),
    (r"(?<=\s)>(?=\s)", "is greater than"),
    (r"\s*=\s*", " equals "),
    (r"(?<=[\w)])\s*\+\s*(?=[\w(])", " plus "),
    (r"(?<=[\w)])\s+[-−]\s+(?=[\w(])", " minus "),
    (r"\s*√\s*", " the square root of "),
    (r"π", " pi "),
    (r"∞", " infinity "),
    (r"\s&\s", " and "),
    (r"(?<=\s)~(?=\d)", "about "),
    (r"#(?=\d)", "number "),
    (r"\^\(?(-?\w+)\)?", r" to the power of \1"),
    (r"(?<=\s)@(?=\s)", "at"),
    (r"%", " percent"),
]


def _words(number: str) -> str:
    """'2,000' -> 'two thousand', '3.5' -> 'three point five', '-3' -> 'minus three'."""
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return number
    said = str(num2words(value if "." in number else int(value)))
    return said.replace(",", "")  # "one million, two hundred thousand": no pause inside


def _year(number: str) -> str:
    return str(num2words(int(number), to="year"))


def _money(match: re.Match[str]) -> str:
    one, many, cent, cents = _CURRENCIES[match["cur"]]
    amount, scale = match["num"].replace(",", ""), match["scale"]
    if scale:
        return f"{_words(amount)} {_SCALES.get(scale, scale)} {many}"
    whole, _, fraction = amount.partition(".")
    said = f"{_words(whole)} {one if int(whole) == 1 else many}"
    if fraction and int(fraction) and cent:
        fraction = (fraction + "0")[:2]
        if match["cur"] == "£":  # "four pounds fifty", as people say it
            return f"{said} {_words(str(int(fraction)))}"
        return f"{said} and {_words(str(int(fraction)))} {cent if int(fraction) == 1 else cents}"
    return said


def _unit(match: re.Match[str]) -> str:
    name = _UNITS[match["unit"]]
    number = match["num"]
    if name and number not in ("1", "1.0"):
        name = _PLURAL.get(name, name + "s")
    return f"{_words(number)} {name}"


def _decade(match: re.Match[str]) -> str:
    said = _year(match[1])
    return said[:-1] + "ies" if said.endswith("y") else said + "s"


def _ordinal(match: re.Match[str]) -> str:
    return str(num2words(int(match[1]), to="ordinal"))


def _range(match: re.Match[str]) -> str:
    low, high = match["a"], match["b"]
    if _is_year(low) and (_is_year(high) or len(high) == 2):  # 1914-1918, 1914-18
        return f"{_year(low)} to {_year(high) if len(high) == 4 else _words(high)}"
    return f"{_words(low)} to {_words(high)}"


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1100 <= int(number) <= 2099


def _number(match: re.Match[str]) -> str:
    number = match[0]
    sign = ""
    if number.startswith(("-", "−")):
        sign, number = "minus ", number[1:]
    return sign + (_year(number) if _is_year(number) else _words(number))


def _fraction(match: re.Match[str]) -> str:
    top, bottom = int(match[1]), int(match[2])
    if bottom == 2:
        name = "half" if top == 1 else "halves"
    elif bottom == 4:
        name = "quarter" if top == 1 else "quarters"
    else:
        name = str(num2words(bottom, to="ordinal")) + ("" if top == 1 else "s")
    return f"{num2words(top)} {name}"


_unit_names = sorted(_UNITS, key=len, reverse=True)
_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    *[(re.compile(p), w) for p, w in _ABBREVIATIONS],
    (re.compile(rf"(?P<cur>[£$€¥])\s?(?P<num>{_NUM}){_SCALE}"), _money),
    (re.compile(rf"(?<![\w.])(?P<num>{_NUM})\s?%"), lambda m: f"{_words(m['num'])} percent"),
    (
        re.compile(rf"(?<![\w.])(?P<num>{_NUM})\s?°\s?C\b"),
        lambda m: f"{_words(m['num'])} degrees Celsius",
    ),
    (
        re.compile(rf"(?<![\w.])(?P<num>{_NUM})\s?°\s?F\b"),
        lambda m: f"{_words(m['num'])} degrees Fahrenheit",
    ),
    (re.compile(rf"(?<![\w.])(?P<num>{_NUM})°"), lambda m: f"{_words(m['num'])} degrees"),
    (
        re.compile(
            rf"(?<![\w.])(?P<num>{_NUM})\s?(?P<unit>{'|'.join(re.escape(u) for u in _unit_names)})"
            r"(?![\w/])"
        ),
        lambda m: _unit(m) if len(m["unit"]) > 1 or m["unit"] in _SAFE_SHORT else m[0],
    ),
    (re.compile(r"(?<![\w.])(\d+)(?:st|nd|rd|th)\b"), _ordinal),
    (re.compile(r"(?<![\w.])(1[1-9]\d0|20\d0)s\b"), _decade),
    (re.compile(r"(?<=\w)²|\^2\b"), " squared"),
    (re.compile(r"(?<=\w)³|\^3\b"), " cubed"),
    (re.compile(r"(?<![\w.,])(?P<a>\d+)(?:[–-]|\s–\s)(?P<b>\d+)(?![\w.,]*\d)"), _range),
    (re.compile(r"(?<![\w./])(\d)/(\d{1,2})(?![\w/])"), _fraction),
    (re.compile(r"(?<=[A-Za-z])-(?=\d)"), " "),  # COVID-19 -> COVID 19
    *[(re.compile(p), w) for p, w in _SYMBOLS],
    (re.compile(rf"(?:(?<=\s)|^)[-−](?={_NUM})"), "-"),  # a leading minus sign stays for below
    (re.compile(rf"(?:(?<![\w.])-)?(?:{_NUM})(?![\d])"), _number),
    (re.compile(r"\s*\(\s*"), ", "),
    (re.compile(r"\s*\)\s*(?=[.,;:!?])"), ""),
    (re.compile(r"\s*\)\s*"), ", "),
    (re.compile(r"\s*\[\s*|\s*\]\s*"), " "),
    (re.compile(r"(?:\s*,)+\s*(?=[.;:!?]|$)"), ""),  # a pause left before a full stop
    (re.compile(r"^\s*,\s*"), ""),
    (re.compile(r"(?:,\s*){2,}"), ", "),
    (re.compile(r"\s{2,}"), " "),
]


def speech_text(text: str) -> str:
    """`text` with numbers, money, units, abbreviations and symbols in words."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text.strip()
