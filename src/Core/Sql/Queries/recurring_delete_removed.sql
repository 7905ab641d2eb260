-- The trigger of a removed schedule is gone from Quartz; so goes the row, unless it was added back meanwhile.
DELETE FROM {{schema}}.recurring_schedules WHERE id = $1 AND removed AND version = $2
