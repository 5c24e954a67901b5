"""The membership report as a bar chart (PNG). matplotlib is imported on first use and draws on its Agg
canvas, so the bot starts fast and never needs a display.

Suppressed counts are not drawn: their bar is absent and its label reads "<5", so the image gives
away no more than the table. Colours come from the Okabe-Ito palette (readable with colour-blindness),
with text in near-black on white.
"""

from __future__ import annotations

import io
from typing import Any

from bot.domain.members import Count, MembershipReport
from bot.i18n import Lang
from bot.services.members_text import MembersText

ROLE_COLOUR = "#0072B2"  # Okabe-Ito blue
JOIN_COLOUR = "#D55E00"  # Okabe-Ito vermillion
TEXT_COLOUR = "#1a1a1a"


def _figure() -> Any:
    """A figure on the Agg canvas, without pyplot's global state (safe in a worker thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: only the report needs it
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 9), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _bars(axes: Any, labels: list[str], counts: list[Count], colour: str, horizontal: bool) -> None:
    values = [c.shown or 0 for c in counts]
    if horizontal:
        axes.barh(labels, values, color=colour)
        axes.invert_yaxis()
    else:
        axes.bar(labels, values, color=colour)
    top = max(values, default=0) or 1
    for index, count in enumerate(counts):
        value = count.shown or 0
        text = str(count)
        if horizontal:
            axes.text(value + top * 0.01, index, text, va="center", color=TEXT_COLOUR, fontsize=9)
        else:
            axes.text(
                index, value + top * 0.01, text, ha="center", va="bottom", color=TEXT_COLOUR, fontsize=8
            )


def report_png(report: MembershipReport, lang: Lang, text: MembersText) -> bytes:
    figure = _figure()
    roles_axes, joins_axes = figure.subplots(2, 1)
    role_labels = [role.label(lang) for role, _ in report.by_role] + [text.t(lang, "members.report.no_role")]
    _bars(roles_axes, role_labels, [c for _, c in report.by_role] + [report.no_role], ROLE_COLOUR, True)
    roles_axes.set_title(
        text.t(lang, "members.chart.roles_title", total=str(report.total)), color=TEXT_COLOUR
    )
    roles_axes.set_xlabel(text.t(lang, "members.chart.members_axis"), color=TEXT_COLOUR)
    month_labels = [text.month(m, lang) for m, _ in report.joins_by_month]
    _bars(joins_axes, month_labels, [c for _, c in report.joins_by_month], JOIN_COLOUR, False)
    joins_axes.set_title(text.t(lang, "members.report.joins"), color=TEXT_COLOUR)
    joins_axes.set_ylabel(text.t(lang, "members.chart.members_axis"), color=TEXT_COLOUR)
    joins_axes.tick_params(axis="x", labelrotation=45)
    figure.text(
        0.01,
        0.005,
        text.t(lang, "members.report.note", threshold=report.total.threshold),
        fontsize=8,
        color=TEXT_COLOUR,
    )
    figure.tight_layout(rect=(0, 0.02, 1, 1))
    buffer = io.BytesIO()
    metadata = {
        "Title": text.t(lang, "members.report.title"),
        "Description": text.chart_summary(report, lang),
    }
    figure.savefig(buffer, format="png", metadata={**metadata, "Software": None})
    return buffer.getvalue()
