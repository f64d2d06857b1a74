"""Formatting: figures, markdown tables and target verdicts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from measure import Series


def seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def micros(ns: float) -> str:
    return f"{ns / 1000:.0f} µs" if abs(ns) >= 10_000 else f"{ns / 1000:.1f} µs"


def above_floor(ns: float | None) -> str:
    if ns is None:
        return "-"
    return micros(ns) if ns >= 0 else f"{micros(ns)} (under the floor)"


def megabytes(value: float) -> str:
    return f"{value:.0f} MB"


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}" if theirs > 0 else "-"


def time_of(series: Series | None) -> str:
    """The median time of a series, or why there is none."""
    if series is None:
        return "-"
    if not series.ok:
        return f"failed ({series.failure()})"
    return seconds(series.seconds)


def memory_of(series: Series | None) -> str:
    if series is None or not series.ok:
        return "-"
    return megabytes(series.peak_mb)


def ratio_of(ours: Series | None, theirs: Series | None) -> str:
    if ours is None or theirs is None or not ours.ok or not theirs.ok:
        return "-"
    return ratio(ours.seconds, theirs.seconds)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def line(cells: Sequence[str]) -> str:
        return (
            "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"
        )

    return "\n".join([line(header), line(["---"] * len(header)), *(line(r) for r in rows)])


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    limit: str
    met: bool | None  # None: could not be measured
    detail: str

    @property
    def word(self) -> str:
        if self.met is None:
            return "not measured"
        return "met" if self.met else "missed"


def verdict(
    target: str,
    measured: float | None,
    limit: float | None,
    show: Callable[[float], str] = seconds,
    why_not: str = "",
) -> Verdict:
    """`measured` must be at most `limit`; `show` formats both."""
    if measured is None or limit is None:
        return Verdict(target, "-", "-", None, why_not or "no figure")
    if measured <= limit:
        share = f"{measured / limit:.0%} of the limit" if limit > 0 and measured >= 0 else ""
        return Verdict(target, show(measured), show(limit), True, share)
    detail = f"missed by {show(measured - limit)}"
    if limit > 0:
        detail += f" ({measured / limit:.2f}x the limit)"
    return Verdict(target, show(measured), show(limit), False, detail)


def times(value: float) -> str:
    return f"{value:.2f}x"


def verdict_table(verdicts: Sequence[Verdict]) -> str:
    return table(
        ["target", "measured", "limit", "verdict"],
        [
            [v.target, v.measured, v.limit, f"**{v.word}**" + (f": {v.detail}" if v.detail else "")]
            for v in verdicts
        ],
    )
