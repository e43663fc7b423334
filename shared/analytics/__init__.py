"""The analytics store (R3, R23, R24): every case change and interaction as a columnar record.

`records` maps the cases table's stream images to flat rows (no personal data: no names, no texts);
`engine` writes and reads them as Parquet with DuckDB, embedded in the function that asks.
"""
