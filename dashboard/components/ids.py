"""Component ids of the shell, shared by every page's callbacks (one place, no string typos)."""

URL = "url"
TOWN = "shell-town"
YEAR = "shell-year"
LANG = "shell-lang"  # dcc.Store with "de" or "en"
LANG_DE = "shell-lang-de"
LANG_EN = "shell-lang-en"
ALERT = "shell-alert"
DATA_DATE = "shell-data-date"
TOWN_LABEL = "shell-town-label"
YEAR_LABEL = "shell-year-label"
METHODS = "shell-methods"
REPORT = "shell-report"  # link to the PDF report of the selected town and year
SKIP = "shell-skip"
URL_SYNC = "shell-url-sync"
RUN_BANNER = "shell-run"  # "Stand von Lauf N (dd.mm.yyyy)" on every page of a ?run=N link (issue 17)
DEMO_BANNER = "shell-demo"  # "Demodaten …" on every page of a warehouse built with the public demo key
USER = "shell-user"  # who is signed in and the sign-out link (dashboard.auth.signin)
BRAND = "shell-brand"
TOGGLER = "shell-toggler"  # the menu button of narrow screens
COLLAPSE = "shell-collapse"  # the menu it opens and closes
