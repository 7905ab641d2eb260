-- Removes the row of worker @worker (it is stopping).
DELETE FROM {{schema}}.workers WHERE id = @worker;
