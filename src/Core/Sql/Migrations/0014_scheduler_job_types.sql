-- The scheduler's Quartz jobs moved from the JobPlatform.Hosting assembly to JobPlatform.Scheduler.Hosting.
-- Quartz stores each job's type name, so job details written by an earlier scheduler name types that no longer
-- load: Quartz then sets their triggers to ERROR, and recurring fires and platform tasks (maintenance, alerts)
-- stop. Rename the stored types and give those triggers back to the scheduler.
UPDATE {{schema}}.qrtz_job_details
SET job_class_name = CASE job_class_name
    WHEN 'JobPlatform.Hosting.RecurringFireJob, JobPlatform.Hosting'
        THEN 'JobPlatform.Scheduler.Hosting.RecurringFireJob, JobPlatform.Scheduler.Hosting'
    WHEN 'JobPlatform.Hosting.PlatformTaskJob, JobPlatform.Hosting'
        THEN 'JobPlatform.Scheduler.Hosting.PlatformTaskJob, JobPlatform.Scheduler.Hosting'
  END
WHERE job_class_name IN ('JobPlatform.Hosting.RecurringFireJob, JobPlatform.Hosting',
                         'JobPlatform.Hosting.PlatformTaskJob, JobPlatform.Hosting');

UPDATE {{schema}}.qrtz_triggers t
SET trigger_state = 'WAITING'
FROM {{schema}}.qrtz_job_details j
WHERE t.trigger_state = 'ERROR'
  AND j.sched_name = t.sched_name AND j.job_name = t.job_name AND j.job_group = t.job_group
  AND j.job_class_name LIKE 'JobPlatform.Scheduler.Hosting.%';
