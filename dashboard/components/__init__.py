"""Shared building blocks of the app: the shell (navbar, selectors) and the chart card."""
