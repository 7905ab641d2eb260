-- The database's clock (the dashboard shows it next to the application's and warns when they differ).
SELECT now() AS now;
