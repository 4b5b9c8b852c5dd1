-- Schedule maintenance with pg_cron. pg_cron lives in one database (cron.database_name; on RDS the
-- parameter group names it): the job is scheduled from there with cron.schedule_in_database, to
-- run in this database. Applied elsewhere, this only warns with the statement to run there.
DO $cron$
BEGIN
    IF current_database() = current_setting('cron.database_name', true) THEN
        CREATE EXTENSION IF NOT EXISTS pg_cron;
        -- The job 0.1.0 scheduled with cron.schedule (a single-transaction maintenance) gives way.
        PERFORM cron.unschedule(jobid) FROM cron.job WHERE jobname = 'scaling-toolkit-partition-maintenance';
        PERFORM cron.schedule_in_database({{job_prefix}} || current_database(), {{schedule}}, {{command}}, current_database());
    ELSE
        RAISE WARNING 'scaling_toolkit: pg_cron lives in database %, not here; run this there: SELECT cron.schedule_in_database(%, %, %, %);',
            coalesce(current_setting('cron.database_name', true), '(pg_cron is not preloaded)'),
            quote_literal({{job_prefix}} || current_database()), quote_literal({{schedule}}), quote_literal({{command}}), quote_literal(current_database());
    END IF;
END
$cron$;
