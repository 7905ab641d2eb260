-- The status of a subscription, or no row.
SELECT status FROM {{schema}}.billing_subscriptions WHERE id = @subscription;
