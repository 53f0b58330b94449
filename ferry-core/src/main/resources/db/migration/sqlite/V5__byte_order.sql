-- Nothing to do: SQLite compares text by its bytes (BINARY) unless told otherwise, which is the order
-- Ferry's ids and names need. PostgreSQL's V5 sets that order on its id and name columns.
SELECT 1;
