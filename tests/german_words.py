"""Words of the German sentences that no English sentence contains: a text with one of them is not English."""

import re

GERMAN = re.compile(r"\b(Das|Die|ist|nicht|Bitte|gibt|noch|keine|oder|und|Datei|Lauf|seit|Uhr|Spalte|erneut)\b")
