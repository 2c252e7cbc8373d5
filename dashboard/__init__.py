"""The Engagement-Monitor dashboard: a read-only Dash app over the warehouse (brief §2, §6; issue 5).

``dashboard.app.create_app`` builds the app, ``dashboard.server.serve`` serves it with gunicorn,
``python -m dashboard --db URL`` runs it. Pages read only through :mod:`etl.warehouse`.
"""
