"""Where batch results live: normalised tables in DuckDB (the embedded default) or Parquet."""
