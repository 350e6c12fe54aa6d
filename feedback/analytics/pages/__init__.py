"""The analytics pages for managers: the dashboard (also their home page's panel), a
page per analysis, and the insight page's panels. They render the result objects of
:mod:`feedback.analytics.reports` — the same figures as the API and the exports."""
