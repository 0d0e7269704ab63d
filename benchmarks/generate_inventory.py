"""Synthetic N-rig inventories for benchmarks: realistic cardinalities, a few defects.

    python benchmarks/generate_inventory.py 1000000 /tmp/inv_1m.csv

A real fleet has a few dozen models, firmware versions and suppliers but unique serials
and MACs; the generator keeps those proportions so that benchmarks measure what the
engine will meet. Deterministic for a given N.
"""

from __future__ import annotations

import random
import sys

MODELS = [
    ("Bitmain", "Antminer S19j Pro", "stock", "2023-08-15"), ("Bitmain", "Antminer S19 XP", "Braiins OS", "23.03.5"),
    ("Bitmain", "Antminer S21", "stock", "2024-11-20"), ("Bitmain", "Antminer S21", "LuxOS", "2024.9.10"),
    ("Bitmain", "Antminer T21", "VNish", "1.2.6"), ("Bitmain", "Antminer S9", "stock", "2017-04-03"),
    ("MicroBT", "Whatsminer M30S++", "stock", "20230512.22.REL"), ("MicroBT", "Whatsminer M50S", "stock", "20240301.18.REL"),
    ("MicroBT", "Whatsminer M60S", "stock", "20241108.11.REL"), ("Canaan", "Avalon A1246", "stock", "21.09.09"),
    ("Canaan", "Avalon A1366", "stock", "23.04.20"), ("Canaan", "Avalon A1466", "stock", "24.06.10"),
    ("Auradine", "Teraflux AT2880", "stock", "2024.12.1"),
]
COUNTRIES = ["CN", "CN", "MY", "TH", "ID", "US", "VN"]
SUPPLIERS = [f"Supplier {i} Trading Co., Ltd." for i in range(200)] + ["Sophgo Technologies Ltd.", "BitRiver"]
SITES = [f"Site {i}" for i in range(40)]
HEADER = ("serial,manufacturer,model,firmware,firmware_version,assembly_country,manufacture_date,chip_vendor,"
          "mac,supplier,po_number,import_date,declared_value_usd,hts_code,site\n")


def generate(n: int, out) -> None:
    rnd = random.Random(n)
    out.write(HEADER)
    dates = [f"{y}-{m:02d}-{d:02d}" for y in (2022, 2023, 2024, 2025) for m in range(1, 13) for d in (3, 17)]
    for i in range(n):
        mfr, model, fw, fwv = MODELS[rnd.randrange(len(MODELS))]
        md = dates[rnd.randrange(len(dates) - 4)]
        imp = dates[min(dates.index(md) + rnd.randrange(1, 4), len(dates) - 1)]
        serial = f"SN{i:09d}" if rnd.random() > 0.0005 else f"SN{i // 2:09d}"  # a few duplicates
        mac = "02:%02x:%02x:%02x:%02x:%02x" % ((i >> 32) & 255, (i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255)
        out.write(
            f"{serial},{mfr},{model},{fw},{fwv},{COUNTRIES[rnd.randrange(len(COUNTRIES))]},{md},{mfr},{mac},"
            f"\"{SUPPLIERS[rnd.randrange(len(SUPPLIERS))]}\",PO-{i // 500:06d},{imp},{rnd.choice((1850, 3100, 5600))}.00,"
            f"8543.70.9960,{SITES[rnd.randrange(len(SITES))]}\n"
        )


if __name__ == "__main__":
    n = int(sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
        generate(n, f)
