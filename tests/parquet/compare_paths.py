#!/usr/bin/env python3
"""Reads a `pmmsim run --paths-out X.parquet` file back with a real Parquet reader
(pyarrow, else DuckDB) and checks that it holds exactly the rows of the same run's
`--paths-out X.csv`: same columns in the same order, same row count, same values
(floats bit for bit, nulls as empty CSV fields, booleans as true/false).

Usage: compare_paths.py PATHS.parquet PATHS.csv
Exit 0 when they agree, 1 on the first difference, 2 when no reader is installed.
"""

import csv
import math
import sys


def read_parquet(path):
    """Column names and rows (lists of Python values) of a Parquet file."""
    try:
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        names = table.column_names
        columns = [table.column(i).to_pylist() for i in range(len(names))]
        return "pyarrow " + __import__("pyarrow").__version__, names, list(zip(*columns))
    except ImportError:
        pass
    try:
        import duckdb

        rel = duckdb.sql("SELECT * FROM read_parquet(?)", params=[path])
        return "duckdb " + duckdb.__version__, rel.columns, rel.fetchall()
    except ImportError:
        print("no Parquet reader (pyarrow or duckdb) installed", file=sys.stderr)
        sys.exit(2)


def same(text, value):
    """Whether a CSV field and a Parquet value are the same datum."""
    if value is None:
        return text == ""
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, int):
        return text != "" and int(text) == value
    if isinstance(value, float):
        if text in ("NaN",):
            return math.isnan(value)
        parsed = float(text.replace("inf", "Infinity")) if text else None
        return parsed is not None and (parsed == value or (math.isnan(parsed) and math.isnan(value)))
    return False


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    reader, names, rows = read_parquet(sys.argv[1])
    with open(sys.argv[2], newline="") as f:
        records = list(csv.reader(f))
    header, body = records[0], records[1:]
    if list(names) != header:
        print(f"columns differ:\n parquet {list(names)}\n csv     {header}")
        return 1
    if len(rows) != len(body):
        print(f"row counts differ: parquet {len(rows)}, csv {len(body)}")
        return 1
    for r, (row, record) in enumerate(zip(rows, body)):
        for name, value, text in zip(names, row, record):
            if not same(text, value):
                print(f"row {r} column {name}: parquet {value!r}, csv {text!r}")
                return 1
    print(f"{reader}: {len(rows)} rows x {len(names)} columns agree with the CSV")
    return 0


if __name__ == "__main__":
    sys.exit(main())
