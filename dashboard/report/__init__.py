"""The council report (Bericht für den Rat): a tagged A4 PDF of one town and year, German or English (issues 6, 15).

``build_report(town, year, out, as_of=None, db=None, lang="de")`` writes it (``engage report`` calls it);
:func:`dashboard.report.route.register_report_route` offers the same PDF as a download in the dashboard.
"""

from dashboard.report.build import ReportError, build_report

__all__ = ["ReportError", "build_report"]
