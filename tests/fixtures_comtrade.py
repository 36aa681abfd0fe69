"""Comtrade files built at test time in the publishers' column sets.

``PLUS_COLUMNS`` is the field list of a Comtrade+ API v1 record, in the order the API
returns it (as in the published response comtrade_v1_get_C_A_HS_CHN_2010.json);
the website's CSV export uses the same names, bulk files the same in PascalCase,
tab-separated and gzipped. ``LEGACY_COLUMNS`` is the column set comtradr wrote before
version 1.0 (as in the published comtrade_armenia_*.csv files).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

PLUS_COLUMNS = (
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period",
    "reporterCode", "reporterISO", "reporterDesc", "flowCode", "flowDesc",
    "partnerCode", "partnerISO", "partnerDesc", "partner2Code", "partner2ISO", "partner2Desc",
    "classificationCode", "classificationSearchCode", "isOriginalClassification",
    "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "customsDesc", "mosCode",
    "motCode", "motDesc", "qtyUnitCode", "qtyUnitAbbr", "qty", "isQtyEstimated",
    "altQtyUnitCode", "altQtyUnitAbbr", "altQty", "isAltQtyEstimated",
    "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated",
    "cifvalue", "fobvalue", "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate",
)  # fmt: skip

LEGACY_COLUMNS = (
    "year", "month", "period", "period_desc", "aggregate_level", "is_leaf_code", "trade_code",
    "trade_flow", "reporter_code", "reporter", "partner_code", "partner_iso", "partner",
    "commodity_code", "commodity", "mot_code", "mot_desc", "QtyUnitCode", "QtyUnitAbbr", "Qty",
    "IsQtyEstimated", "IsNetWgtEstimated", "netweight_kg", "trade_value_us", "cifvalue",
    "fobvalue", "IsReported", "IsAggregate",
)  # fmt: skip

AREAS = {  # Comtrade code: (ISO-like code, description)
    "0": ("W00", "World"),
    "156": ("CHN", "China"),
    "276": ("DEU", "Germany"),
    "398": ("KAZ", "Kazakhstan"),
    "490": ("S19", "Other Asia, nes"),
    "643": ("RUS", "Russian Federation"),
    "842": ("USA", "USA"),
    "999": ("ZZZ", "Nowhere"),
}
MODES = {"0": "TOTAL MOT", "2100": "Sea", "3100": "Railway", "3200": "Road"}
UNITS = {"-1": "N/A", "5": "u", "8": "kg"}
FLOWS = {"X": "Export", "M": "Import", "RX": "Re-export", "RM": "Re-import"}


def plus_record(
    *,
    flow: str,
    partner: str,
    cmd: str,
    primary: float | None,
    cif: float | None = None,
    fob: float | None = None,
    reporter: str = "398",
    mot: str = "0",
    partner2: str = "0",
    customs: str = "C00",
    qty: float | None = None,
    qty_unit: str = "-1",
    net_weight: float | None = None,
    classification: str = "H6",
    year: int = 2023,
    month: int | None = 1,
) -> dict[str, Any]:
    """One Comtrade+ record with every field of the API, typed as the JSON has them."""
    level = 0 if cmd == "TOTAL" else len(cmd)
    return {
        "typeCode": "C",
        "freqCode": "M" if month else "A",
        "refPeriodId": int(f"{year}{month or 1:02d}01"),
        "refYear": year,
        "refMonth": month or 52,
        "period": f"{year}{month:02d}" if month else str(year),
        "reporterCode": int(reporter),
        "reporterISO": AREAS[reporter][0],
        "reporterDesc": AREAS[reporter][1],
        "flowCode": flow,
        "flowDesc": FLOWS[flow],
        "partnerCode": int(partner),
        "partnerISO": AREAS[partner][0],
        "partnerDesc": AREAS[partner][1],
        "partner2Code": int(partner2),
        "partner2ISO": AREAS[partner2][0],
        "partner2Desc": AREAS[partner2][1],
        "classificationCode": classification,
        "classificationSearchCode": "HS",
        "isOriginalClassification": True,
        "cmdCode": cmd,
        "cmdDesc": "All Commodities" if cmd == "TOTAL" else f"Commodity {cmd}",
        "aggrLevel": level,
        "isLeaf": level == 6,
        "customsCode": customs,
        "customsDesc": "TOTAL CPC" if customs == "C00" else f"Procedure {customs}",
        "mosCode": "0",
        "motCode": int(mot),
        "motDesc": MODES[mot],
        "qtyUnitCode": int(qty_unit),
        "qtyUnitAbbr": UNITS[qty_unit],
        "qty": qty,
        "isQtyEstimated": False,
        "altQtyUnitCode": -1,
        "altQtyUnitAbbr": "N/A",
        "altQty": None,
        "isAltQtyEstimated": False,
        "netWgt": net_weight,
        "isNetWgtEstimated": False,
        "grossWgt": None,
        "isGrossWgtEstimated": False,
        "cifvalue": cif,
        "fobvalue": fob,
        "primaryValue": primary,
        "legacyEstimationFlag": 0,
        "isReported": True,
        "isAggregate": False,
    }


# Kazakhstan's monthly report for January 2023: one record per case the reader decides.
RECORDS: dict[str, dict[str, Any]] = {
    "export-total-mode": plus_record(
        flow="X", partner="643", cmd="270900", fob=1000.5, primary=1000.5,
        qty=10.0, qty_unit="8", net_weight=10.0,
    ),
    "export-by-rail": plus_record(
        flow="X", partner="643", cmd="270900", fob=600.0, primary=600.0, mot="3100"
    ),
    "export-by-sea": plus_record(
        flow="X", partner="643", cmd="270900", fob=400.5, primary=400.5, mot="2100"
    ),
    "import-hs6": plus_record(
        flow="M", partner="156", cmd="851713", cif=5000.0, primary=5000.0, qty=100.0,
        qty_unit="5",
    ),
    "import-hs4": plus_record(flow="M", partner="156", cmd="8517", cif=7000.0, primary=7000.0),
    "export-world-total": plus_record(flow="X", partner="0", cmd="TOTAL", fob=9999.0,
                                      primary=9999.0),
    "re-export": plus_record(flow="RX", partner="643", cmd="270900", fob=50.0, primary=50.0),
    "second-partner": plus_record(
        flow="X", partner="643", cmd="270900", fob=70.0, primary=70.0, partner2="156"
    ),
    "customs-procedure": plus_record(
        flow="M", partner="156", cmd="851713", cif=30.0, primary=30.0, customs="C01"
    ),
    "export-without-fob": plus_record(flow="X", partner="276", cmd="270900", primary=123.0),
    "import-weight-only": plus_record(
        flow="M", partner="490", cmd="847130", cif=88.0, primary=88.0, net_weight=55.5
    ),
}  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def plus_csv(records: Iterable[dict[str, Any]], *, drop: tuple[str, ...] = ()) -> str:
    """The Comtrade+ CSV export: comma-separated, camelCase header."""
    columns = [c for c in PLUS_COLUMNS if c not in drop]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record[c]) for c in columns])
    return out.getvalue()


def write_plus_csv(folder: Path, records: Iterable[dict[str, Any]], **options: Any) -> Path:
    path = folder / "TradeData_1700000000000.csv"
    path.write_text("\ufeff" + plus_csv(records, **options), encoding="utf-8", newline="")
    return path


def write_bulk(folder: Path, records: Iterable[dict[str, Any]]) -> Path:
    """A bulk file: tab-separated, PascalCase header, gzipped, named as the API names it."""
    columns = list(PLUS_COLUMNS)
    lines = ["\t".join(c[0].upper() + c[1:] for c in columns)]
    lines += ["\t".join(_cell(r[c]) for c in columns) for r in records]
    path = folder / "COMTRADE-FINAL-CM398202301H6[2023-03-15].gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    return path


def write_json(folder: Path, records: Iterable[dict[str, Any]], *, name: str = "") -> Path:
    data = list(records)
    path = folder / (name or "comtrade_get_C_M_HS_KAZ_202301.json")
    document = {"elapsedTime": "0.12 secs", "count": len(data), "data": data, "error": ""}
    path.write_text(json.dumps(document, indent=4), encoding="utf-8")
    return path


def write_legacy(
    folder: Path, rows: Iterable[dict[str, str]], *, drop: tuple[str, ...] = ()
) -> Path:
    """A CSV with comtradr's pre-1.0 columns, Latin-1 as R wrote it on Windows."""
    columns = [c for c in LEGACY_COLUMNS if c not in drop]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "NA") for c in columns])
    path = folder / "comtrade_fixture_monthly.csv"
    path.write_bytes(out.getvalue().encode("latin-1"))
    return path


LEGACY_ROW = {
    "year": "2023", "month": "5", "period": "2023-05-01", "period_desc": "202305",
    "aggregate_level": "6", "is_leaf_code": "TRUE", "trade_code": "M", "trade_flow": "Import",
    "reporter_code": "51", "reporter": "Armenia", "partner_code": "531", "partner_iso": "CUW",
    "partner": "Curaçao", "commodity_code": "851713", "commodity": "Smartphones",
    "mot_code": "0", "mot_desc": "TOTAL MOT", "QtyUnitCode": "5", "QtyUnitAbbr": "u",
    "Qty": "84", "IsQtyEstimated": "FALSE", "IsNetWgtEstimated": "FALSE", "netweight_kg": "25.4",
    "trade_value_us": "74811.49", "cifvalue": "74811.49", "fobvalue": "NA",
    "IsReported": "FALSE", "IsAggregate": "TRUE",
}  # fmt: skip
