"""The open licences a project may publish its aggregates under (``[project] licence``, issue 17).

SPDX identifiers, so that other programs recognise them in a data package's ``licenses``. Only open-data
licences: the data package is meant for reuse (evaluators, universities, other towns). The default is
CC BY 4.0: reuse with attribution, which the package's citation text makes easy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    spdx: str
    title_de: str
    title_en: str
    url: str


DEFAULT_LICENCE = "CC-BY-4.0"

LICENCES: dict[str, Licence] = {
    lic.spdx: lic
    for lic in (
        Licence(
            "CC-BY-4.0",
            "Creative Commons Namensnennung 4.0 International",
            "Creative Commons Attribution 4.0 International",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Licence(
            "CC-BY-SA-4.0",
            "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International",
            "Creative Commons Attribution-ShareAlike 4.0 International",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Licence(
            "CC0-1.0",
            "Creative Commons Zero 1.0 (gemeinfrei)",
            "Creative Commons Zero 1.0 Universal (public domain)",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        Licence(
            "DL-DE-BY-2.0",
            "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "Data licence Germany – attribution – version 2.0",
            "https://www.govdata.de/dl-de/by-2-0",
        ),
        Licence(
            "DL-DE-ZERO-2.0",
            "Datenlizenz Deutschland – Zero – Version 2.0",
            "Data licence Germany – Zero – version 2.0",
            "https://www.govdata.de/dl-de/zero-2-0",
        ),
        Licence(
            "ODbL-1.0",
            "Open Data Commons Open Database License 1.0",
            "Open Data Commons Open Database License 1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/",
        ),
    )
}


def licence_of(spdx: str | None) -> Licence:
    """The licence a run names; a run of an older version (None) or an unknown id counts as the default."""
    return LICENCES.get(spdx or DEFAULT_LICENCE, LICENCES[DEFAULT_LICENCE])
