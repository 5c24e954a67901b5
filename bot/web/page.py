"""The public page: plain server-rendered HTML, one language at a time with a switch, no third-party
assets. Each drop-in carries its instant in a <time> element; page.js shows it in the reader's zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.i18n import Catalog, Lang
from bot.i18n.dates import long_date
from bot.services.web import PageData

_DISCORD_TIME = re.compile(r"<t:(\d{1,12}):[tTdDfFR]>")
_ALLOWED_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "a",
    "br",
    "hr",
}


def choose_language(asked: str | None, accept_language: str) -> Lang:
    """?lang= wins; else the first of en/fr in Accept-Language by weight; else English."""
    if asked in ("en", "fr"):
        return asked  # type: ignore[return-value]
    best: tuple[float, Lang] | None = None
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        base = tag.strip().lower()[:2]
        if base in ("en", "fr") and weight > 0 and (best is None or weight > best[0]):
            best = (weight, base)  # type: ignore[assignment]
    return best[1] if best else "en"


def eastern_time(moment: datetime, lang: Lang, zone: ZoneInfo) -> str:
    """`12:00 p.m. ET` / `12 h HE` (OQLF: `13 h 30`, never `12 h 00`)."""
    local = moment.astimezone(zone)
    if lang == "fr":
        clock = f"{local.hour} h" + (f" {local.minute:02d}" if local.minute else "")
        return f"{clock} (heure de l'Est)"
    suffix = "a.m." if local.hour < 12 else "p.m."
    return f"{(local.hour % 12) or 12}:{local.minute:02d} {suffix} ET"


def render_minutes(markdown: str, zone: ZoneInfo, lang: Lang) -> str:
    """Minutes Markdown → sanitized HTML. Discord timestamps become plain Eastern dates."""
    import nh3  # imported on first use: keeps the bot's start quick
    from markdown_it import MarkdownIt

    text = _DISCORD_TIME.sub(
        lambda m: long_date(datetime.fromtimestamp(int(m[1]), UTC), lang, zone), markdown
    )
    return nh3.clean(
        MarkdownIt("commonmark", {"html": False, "linkify": False}).render(text),
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"https"},
        link_rel="noopener noreferrer nofollow",
    )


def render(catalog: Catalog, data: PageData, lang: Lang, base_url: str) -> str:
    t = catalog.t
    zone = data.schedule.zone
    other: Lang = "fr" if lang == "en" else "en"
    items = []
    for occurrence in data.occurrences:
        day = escape(long_date(occurrence.start, lang, zone))
        when = escape(eastern_time(occurrence.start, lang, zone), quote=False)
        stamp = occurrence.start.strftime("%Y-%m-%dT%H:%M:%SZ")
        if occurrence.skipped:
            reason = f" — {escape(occurrence.reason)}" if occurrence.reason else ""
            items.append(
                f'<li class="cancelled"><s><time datetime="{stamp}">{day}</time></s> '
                f"<strong>{escape(t(lang, 'web.page.cancelled'))}</strong>{reason}</li>"
            )
            continue
        note = f'<p class="note">{escape(occurrence.note)}</p>' if occurrence.note else ""
        moved = f" <em>{escape(t(lang, 'web.page.moved'))}</em>" if occurrence.moved else ""
        items.append(
            f'<li><time class="local" datetime="{stamp}">{day}</time>'
            f'<span class="eastern">{day}, {when}</span>{moved}{note}</li>'
        )
    join = (
        f'<p><a class="join" href="{escape(data.schedule.join_url)}">{escape(t(lang, "web.page.join"))}</a></p>'
        if data.schedule.join_url
        else f"<p>{escape(t(lang, 'web.page.no_link'))}</p>"
    )
    feed = f"{base_url.rstrip('/')}/calendar/{data.token}.ics"
    expect = t(
        lang,
        "dropin.post.expect",
        minuted=data.schedule.minuted_minutes,
        informal=data.schedule.duration_minutes - data.schedule.minuted_minutes,
    )
    minutes = ""
    if data.minutes:
        blocks = "".join(
            f"<article><h3>{escape(long_date(datetime.fromisoformat(day + 'T12:00:00+00:00'), lang, zone))}</h3>"
            f"{render_minutes(text, zone, lang)}</article>"
            for day, text in data.minutes
        )
        minutes = f'<section aria-labelledby="minutes"><h2 id="minutes">{escape(t(lang, "web.page.minutes"))}</h2>{blocks}</section>'
    return f"""<!doctype html>
<html lang="{lang}-CA">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{escape(t(lang, "web.page.title"))}</title>
<link rel="stylesheet" href="/static/page.css">
<script src="/static/page.js" defer></script>
</head>
<body data-lang="{lang}" data-your-time="{escape(t(lang, "web.page.your_time"))}">
<a class="skip" href="#main">{escape(t(lang, "web.page.skip"))}</a>
<header>
<nav aria-label="{escape(t(lang, "web.page.language"))}"><a href="?lang={other}" lang="{other}-CA" hreflang="{other}">{escape(t(other, "web.page.switch"))}</a></nav>
<h1>{escape(t(lang, "web.page.title"))}</h1>
</header>
<main id="main">
<section aria-labelledby="next"><h2 id="next">{escape(t(lang, "web.page.next"))}</h2>
<ul class="dropins">{"".join(items) or f"<li>{escape(t(lang, 'web.page.none'))}</li>"}</ul>
{join}
</section>
<section aria-labelledby="expect"><h2 id="expect">{escape(t(lang, "web.page.expect"))}</h2><p>{escape(expect)}</p></section>
<section aria-labelledby="subscribe"><h2 id="subscribe">{escape(t(lang, "web.page.subscribe"))}</h2>
<p>{escape(t(lang, "web.page.subscribe_help"))}</p><p><a href="{escape(feed)}">{escape(feed)}</a></p></section>
{minutes}
</main>
</body>
</html>
"""
