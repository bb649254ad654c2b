#!/usr/bin/env python3
"""Build the national register of administrative units in force from 1/7/2025.

Writes, under data/vn-2025/:
  provinces.csv          the 34 provinces and centrally-run cities
  communes.csv           the 3,321 communes, wards and special zones
  province_mergers.csv   the 2025 merger of 63 provinces into 34 (Nghị quyết 202/2025/QH15)

Names and codes of the 34 provinces and 3,321 communes come from the PyPI package
vietnam-provinces 2025.10.1 (which packages the General Statistics Office's list). The package is a
development-time input only: this script installs it into a throwaway virtual environment and the
product never imports it. The package does not ship the provinces before 1/7/2025, so the merger
table below is written by hand from the resolution and checked against the package's new codes.

department_template.csv is written by hand, not by this script (see SOURCES.md).

Usage (from the repository root):
  python3 scripts/vn-register/build.py            # installs the package into /tmp, then builds
  python3 scripts/vn-register/build.py --json F   # builds from a nested-divisions.json already at hand
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

PACKAGE = "vietnam-provinces"
PACKAGE_VERSION = "2025.10.1"
VENV = Path("/tmp/vn-register-venv")

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "data" / "vn-2025"

EXPECTED_PROVINCES = 34
EXPECTED_COMMUNES = 3321

MERGER_DATE = "2025-07-01"
MERGER_SOURCE = "Nghị quyết 202/2025/QH15 ngày 12/6/2025"

# The 63 provinces and centrally-run cities in force until 30/6/2025: old GSO code, full name, and
# the code of the province that continues it from 1/7/2025 (Nghị quyết 202/2025/QH15, Điều 1).
# Names use the modern tone-mark spelling (Hòa, not Hoà). Thừa Thiên Huế had already become the
# centrally-run Thành phố Huế on 1/1/2025 (Nghị quyết 1314/NQ-UBTVQH15).
OLD_PROVINCES: list[tuple[str, str, str]] = [
    ("01", "Thành phố Hà Nội", "01"),
    ("02", "Tỉnh Hà Giang", "08"),
    ("04", "Tỉnh Cao Bằng", "04"),
    ("06", "Tỉnh Bắc Kạn", "19"),
    ("08", "Tỉnh Tuyên Quang", "08"),
    ("10", "Tỉnh Lào Cai", "15"),
    ("11", "Tỉnh Điện Biên", "11"),
    ("12", "Tỉnh Lai Châu", "12"),
    ("14", "Tỉnh Sơn La", "14"),
    ("15", "Tỉnh Yên Bái", "15"),
    ("17", "Tỉnh Hòa Bình", "25"),
    ("19", "Tỉnh Thái Nguyên", "19"),
    ("20", "Tỉnh Lạng Sơn", "20"),
    ("22", "Tỉnh Quảng Ninh", "22"),
    ("24", "Tỉnh Bắc Giang", "24"),
    ("25", "Tỉnh Phú Thọ", "25"),
    ("26", "Tỉnh Vĩnh Phúc", "25"),
    ("27", "Tỉnh Bắc Ninh", "24"),
    ("30", "Tỉnh Hải Dương", "31"),
    ("31", "Thành phố Hải Phòng", "31"),
    ("33", "Tỉnh Hưng Yên", "33"),
    ("34", "Tỉnh Thái Bình", "33"),
    ("35", "Tỉnh Hà Nam", "37"),
    ("36", "Tỉnh Nam Định", "37"),
    ("37", "Tỉnh Ninh Bình", "37"),
    ("38", "Tỉnh Thanh Hóa", "38"),
    ("40", "Tỉnh Nghệ An", "40"),
    ("42", "Tỉnh Hà Tĩnh", "42"),
    ("44", "Tỉnh Quảng Bình", "44"),
    ("45", "Tỉnh Quảng Trị", "44"),
    ("46", "Thành phố Huế", "46"),
    ("48", "Thành phố Đà Nẵng", "48"),
    ("49", "Tỉnh Quảng Nam", "48"),
    ("51", "Tỉnh Quảng Ngãi", "51"),
    ("52", "Tỉnh Bình Định", "52"),
    ("54", "Tỉnh Phú Yên", "66"),
    ("56", "Tỉnh Khánh Hòa", "56"),
    ("58", "Tỉnh Ninh Thuận", "56"),
    ("60", "Tỉnh Bình Thuận", "68"),
    ("62", "Tỉnh Kon Tum", "51"),
    ("64", "Tỉnh Gia Lai", "52"),
    ("66", "Tỉnh Đắk Lắk", "66"),
    ("67", "Tỉnh Đắk Nông", "68"),
    ("68", "Tỉnh Lâm Đồng", "68"),
    ("70", "Tỉnh Bình Phước", "75"),
    ("72", "Tỉnh Tây Ninh", "80"),
    ("74", "Tỉnh Bình Dương", "79"),
    ("75", "Tỉnh Đồng Nai", "75"),
    ("77", "Tỉnh Bà Rịa - Vũng Tàu", "79"),
    ("79", "Thành phố Hồ Chí Minh", "79"),
    ("80", "Tỉnh Long An", "80"),
    ("82", "Tỉnh Tiền Giang", "82"),
    ("83", "Tỉnh Bến Tre", "86"),
    ("84", "Tỉnh Trà Vinh", "86"),
    ("86", "Tỉnh Vĩnh Long", "86"),
    ("87", "Tỉnh Đồng Tháp", "82"),
    ("89", "Tỉnh An Giang", "91"),
    ("91", "Tỉnh Kiên Giang", "91"),
    ("92", "Thành phố Cần Thơ", "92"),
    ("93", "Tỉnh Hậu Giang", "92"),
    ("94", "Tỉnh Sóc Trăng", "92"),
    ("95", "Tỉnh Bạc Liêu", "96"),
    ("96", "Tỉnh Cà Mau", "96"),
]

PROVINCE_KIND = {"tỉnh": "tinh", "thành phố trung ương": "thanh-pho"}
COMMUNE_KIND = {"xã": "commune", "phường": "ward", "đặc khu": "special_zone"}


def clean(text: str) -> str:
    """NFC, trimmed, single spaces (the package has a few names with a double space)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fail(message: str) -> None:
    sys.exit(f"build.py: {message}")


def package_json() -> Path:
    """Install the package into a throwaway venv and return the path of its nested JSON."""
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"{PACKAGE}=={PACKAGE_VERSION}"], check=True
    )
    probe = (
        "import vietnam_provinces as v;"
        "print(v.__version__);print(v.__data_version__);print(v.NESTED_DIVISIONS_JSON_PATH)"
    )
    out = subprocess.run([str(python), "-c", probe], check=True, capture_output=True, text=True)
    version, data_version, path = out.stdout.split("\n")[:3]
    if version != PACKAGE_VERSION:
        fail(f"expected {PACKAGE} {PACKAGE_VERSION}, got {version}")
    print(f"{PACKAGE} {version}, data version {data_version}")
    return Path(path)


def short_name(full: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if full.startswith(prefix):
            return full[len(prefix) :]
    return full


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([unicodedata.normalize("NFC", cell) for cell in row])
    print(f"wrote {path.relative_to(ROOT)}: {len(rows)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="nested-divisions.json of the package")
    args = parser.parse_args()
    source = args.json or package_json()
    data = json.loads(source.read_text(encoding="utf-8"))

    provinces: list[list[str]] = []
    communes: list[list[str]] = []
    for p in sorted(data, key=lambda p: p["code"]):
        kind = PROVINCE_KIND.get(p["division_type"])
        if kind is None:
            fail(f"unknown province kind {p['division_type']!r}")
        code = f"{p['code']:02d}"
        full = clean(p["name"])
        if kind == "tinh":
            full = "Tỉnh " + full  # the package names provinces without their kind
        provinces.append([code, short_name(full), full, kind])
        for w in sorted(p["wards"], key=lambda w: w["code"]):
            ckind = COMMUNE_KIND.get(w["division_type"])
            if ckind is None:
                fail(f"unknown commune kind {w['division_type']!r}")
            communes.append([f"{w['code']:05d}", clean(w["name"]), ckind, code])

    if len(provinces) != EXPECTED_PROVINCES:
        fail(f"{len(provinces)} provinces, expected {EXPECTED_PROVINCES}")
    if len(communes) != EXPECTED_COMMUNES:
        fail(f"{len(communes)} communes, expected {EXPECTED_COMMUNES}")
    if len({c[0] for c in communes}) != len(communes):
        fail("duplicate commune codes")

    # The merger: every successor is one of the 34; every one of the 34 continues at least one old
    # province; a merged province keeps the code of the old province that holds its seat, so its
    # code is among its predecessors' codes.
    new = {p[0]: p for p in provinces}
    if len(OLD_PROVINCES) != 63 or len({o[0] for o in OLD_PROVINCES}) != 63:
        fail("the old-province table must list 63 distinct codes")
    groups: dict[str, list[tuple[str, str]]] = {}
    for old_code, old_name, successor in OLD_PROVINCES:
        if successor not in new:
            fail(f"successor {successor} of {old_name} is not one of the 34")
        groups.setdefault(successor, []).append((old_code, old_name))
    if set(groups) != set(new):
        fail(f"provinces continuing no old province: {sorted(set(new) - set(groups))}")
    mergers: list[list[str]] = []
    for code in sorted(groups):
        preds = groups[code]
        if code not in {c for c, _ in preds}:
            fail(f"{new[code][2]} does not keep the code of any predecessor")
        if len(preds) == 1:
            if short_name(preds[0][1]) != new[code][1]:
                fail(f"unchanged province renamed: {preds[0][1]} -> {new[code][2]}")
            continue  # unchanged: no event
        for old_code, old_name in preds:
            mergers.append([code, new[code][2], old_code, old_name, MERGER_DATE, MERGER_SOURCE])
    merged = len({m[0] for m in mergers})
    unchanged = EXPECTED_PROVINCES - merged
    if (merged, unchanged, len(mergers)) != (23, 11, 52):
        fail(f"{merged} merged, {unchanged} unchanged, {len(mergers)} rows; expected 23, 11, 52")

    OUT.mkdir(parents=True, exist_ok=True)
    write_csv(OUT / "provinces.csv", ["code", "name", "full_name", "kind"], provinces)
    write_csv(OUT / "communes.csv", ["code", "name", "kind", "province_code"], communes)
    write_csv(
        OUT / "province_mergers.csv",
        [
            "successor_code",
            "successor",
            "predecessor_code",
            "predecessor",
            "effective_from",
            "source",
        ],
        mergers,
    )
    kinds: dict[str, int] = {}
    for c in communes:
        kinds[c[2]] = kinds.get(c[2], 0) + 1
    print("communes by kind:", ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(f"mergers: {merged} merged provinces from {len(mergers)} predecessors, {unchanged} unchanged")


if __name__ == "__main__":
    main()
