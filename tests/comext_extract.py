"""The published Comext extract (../shared/data/comext-cn8): the files several tests read,
and the partners' names as its workbooks print them."""

from __future__ import annotations

CARS = "20_4624110_spreadsheet.xlsx"  # CN8 codes 8703.. to 8716..
TOTALS = "eu_total_trade_4630244_spreadsheet.xlsx"  # chapter 27 and TOTAL, imports and exports
#: Partner names in the workbooks, with their codes.
PARTNERS = {
    "Russian Federation (Russia)": "RUS",
    "Kazakhstan": "KAZ",
    "Armenia": "ARM",
    "Kyrgyzstan": "KGZ",
    "Georgia": "GEO",
}
