-- A subject whose condition no longer holds is ok again: its state row goes.
DELETE FROM {{schema}}.alert_states WHERE rule = $1 AND subject = $2;
