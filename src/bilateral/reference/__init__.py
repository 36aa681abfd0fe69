"""Reference data shipped with the package: countries, products, lists."""

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
