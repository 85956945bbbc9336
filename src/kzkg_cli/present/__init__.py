"""Show answers: JSON, JSON Lines, CSV, TSV and Rich tables; views, the chart, SQLite export."""
