"""Table models over the database: lazy paging of plain tuples, sorting and filtering."""
