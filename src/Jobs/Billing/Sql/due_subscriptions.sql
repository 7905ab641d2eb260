-- One page of the subscriptions due in a period, after a subscription id: active, started before the period
-- ends, and not already settled (paid or declined) for the period.
SELECT s.id
FROM {{schema}}.billing_subscriptions s
WHERE s.status = 'active'
  AND s.id > @after
  AND s.started_on < @period_end
  AND NOT EXISTS (
      SELECT 1 FROM {{schema}}.billing_invoices i
      WHERE i.subscription_id = s.id AND i.period = @period AND i.status <> 'open')
ORDER BY s.id
LIMIT @limit;
