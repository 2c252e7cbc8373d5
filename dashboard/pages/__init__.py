"""The dashboard's pages (Dash Pages): one module per page, each with its layout and chart specs."""
