"""The gap-analysis reports: CheckResult + ScenarioResult + PolicySet → Markdown, HTML and JSON.

Modules, data flowing one way:

* ``document``  — the language-neutral JSON document (``ReportDocument``) and provenance;
* ``view``      — the view model a template reads (titles in the chosen language, citations,
  sources looked up in the PolicySet); no HTML here;
* ``charts``    — SVG chart geometry as data (rounded numbers), drawn by the HTML template;
* ``i18n``      — gettext catalogues (.po read with Babel, compiled in memory) and one Jinja
  environment per language;
* ``formatting``— numbers, percentages and dates for the locale (Babel / CLDR);
* ``notes``     — free-text notes as safe Markdown (no raw HTML, http/https links only).
"""
