"""The coverage matrix as one self-contained HTML page: per site, agencies × years coloured by status."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from html import escape

from storage.coverage import CoverageRow

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 3px 8px; font-size: 13px; }
th.agency { text-align: left; font-weight: normal; white-space: nowrap; }
td { text-align: center; min-width: 3.2em; }
.found { background: #5cb85c; color: #fff; } .late { background: #f0ad4e; color: #222; }
.missing { background: #d9534f; color: #fff; } .withdrawn { background: #777; color: #fff; }
.replaced { box-shadow: inset 0 0 0 3px #1f5fbf; } .anomaly::after { content: " !"; font-weight: bold; }
.legend span { display: inline-block; padding: 2px 8px; margin-right: 6px; border: 1px solid #ccc; }
.counts { color: #555; font-size: 0.9em; }
"""
LEGEND = (("found", "found, on time"), ("late", "found, late"), ("missing", "missing"),
          ("withdrawn", "withdrawn"), ("found replaced", "replaced (values changed)"),
          ("found anomaly", "anomaly"))


def _cell(row: CoverageRow) -> str:
    classes = ["late" if row.status == "found" and row.late else row.status]
    if row.replaced:
        classes.append("replaced")
    if row.anomalies:
        classes.append("anomaly")
    mark = {"found": "✓", "missing": "✗", "withdrawn": "⊘"}[row.status]
    details = [f"{row.agency} {row.year}: {row.status}", f"deadline {row.deadline}"]
    if row.published_date:
        details.append(f"published {row.published_date} ({row.published_date_source})")
    if row.replaced:
        details.append(f"replaced: {', '.join(row.changed_fields)}")
    details += row.anomalies
    return f'<td class="{" ".join(classes)}" title="{escape(chr(10).join(details))}">{mark}</td>'


def _site_table(site_id: str, rows: Sequence[CoverageRow]) -> str:
    years = list(range(min(r.year for r in rows), max(r.year for r in rows) + 1))
    by_agency: dict[str, dict[int, CoverageRow]] = defaultdict(dict)
    for row in rows:
        by_agency[row.agency][row.year] = row
    counts = {status: sum(1 for r in rows if r.status == status) for status in ("found", "missing", "withdrawn")}
    late = sum(1 for r in rows if r.late)
    head = "".join(f"<th>{year}</th>" for year in years)
    body = "".join(
        f'<tr><th class="agency">{escape(agency)}</th>'
        + "".join(_cell(cells[y]) if y in cells else "<td></td>" for y in years) + "</tr>\n"
        for agency, cells in sorted(by_agency.items())
    )
    summary = (f"{len(rows)} expected · {counts['found']} found · {counts['missing']} missing · "
               f"{counts['withdrawn']} withdrawn · {late} late")
    return (f'<h2>{escape(site_id)}</h2><p class="counts">{summary}</p>\n'
            f"<table><tr><th></th>{head}</tr>\n{body}</table>\n")


def matrix_html(rows: Sequence[CoverageRow], title: str = "nianbao coverage") -> str:
    """The whole page; hover a cell for its dates, changed fields and anomalies."""
    by_site: dict[str, list[CoverageRow]] = defaultdict(list)
    for row in rows:
        by_site[row.site_id].append(row)
    legend = "".join(f'<span class="{cls}">{escape(text)}</span>' for cls, text in LEGEND)
    tables = "".join(_site_table(site_id, site_rows) for site_id, site_rows in sorted(by_site.items()))
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head>\n<body><h1>{escape(title)}</h1>\n"
            f'<p class="legend">{legend}</p>\n{tables or "<p>no sites stored</p>"}</body></html>\n')
