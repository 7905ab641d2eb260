-- The job currently holding each unique key of @keys (in a state its mask names).
SELECT unique_key, id FROM {{schema}}.jobs_live
WHERE unique_key = ANY(@keys::text[]) AND {{schema}}.state_in_mask(unique_states, state);
