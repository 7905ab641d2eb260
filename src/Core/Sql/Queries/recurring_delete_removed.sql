-- The trigger of removed schedule @id is gone from Quartz; so goes the row, unless it was added back meanwhile (its
-- version moved past @version).
DELETE FROM {{schema}}.recurring_schedules WHERE id = @id AND removed AND version = @version
