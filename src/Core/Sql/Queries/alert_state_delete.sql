-- A subject whose condition no longer holds is ok again: the state row of @rule and @subject goes.
DELETE FROM {{schema}}.alert_states WHERE rule = @rule AND subject = @subject;
