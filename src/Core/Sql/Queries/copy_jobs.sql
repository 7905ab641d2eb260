-- Writes many jobs without unique keys by binary COPY (JobClient.EnqueueManyAsync, large batches). The column list is
-- the batch's (Storage/JobInsertRow.cs): columns that no job of the batch sets are left to their defaults.
COPY {{schema}}.jobs_live ({{columns}}) FROM STDIN (FORMAT BINARY)
