/** A text value as a JSON string: to_json escapes exactly as JSON.stringify does. */
const quoted = (expression: string) => `to_json(${expression})::text`;

/**
 * SQL that serialises the `jobs` row `job` as its JobDetails JSON, the same bytes JSON.stringify
 * of toJobDetails() gives (jobs/toJobDetails.ts; the store suite checks that both agree). The
 * text is concatenated rather than built by json_build_object, whose `"key" : value` spacing
 * differs from JSON.stringify and which renders every value again: metadata and runtime_env are
 * stored as JSON.stringify wrote them (the json type keeps its input text), so they are spliced
 * in as they are.
 */
function jobDetailsJson(job: string): string {
  const column = (name: string) => `${job}.${name}`;
  const driverOr = (unset: string, set: string) =>
    `CASE WHEN ${column('driver_ref')} IS NULL THEN ${unset} ELSE ${column(set)} END`;
  // The driver's node, or the server's while the driver has none of its own.
  const driverNodeId = `CASE WHEN ${column('driver_node_id')} = ''
    THEN ${column('node_id')} ELSE ${column('driver_node_id')} END`;
  return `'{"type":"SUBMISSION","submission_id":' || ${quoted(column('submission_id'))}
    || ',"entrypoint":' || ${quoted(column('entrypoint'))}
    || ',"driver_info":{"id":' || ${quoted(driverOr(column('submission_id'), 'driver_id'))}
    || ',"node_ip_address":' || ${quoted(driverOr(`''`, 'driver_node_ip'))}
    || ',"pid":' || ${quoted(driverOr(`''`, 'driver_pid'))}
    || '},"status":"' || ${column('status')}
    || '","message":' || ${quoted(column('message'))}
    || ',"start_time":"' || ${column('start_time')}::text
    || '","end_time":"' || COALESCE(${column('end_time')}::text, '')
    || '","metadata":' || ${column('metadata')}::text
    || ',"runtime_env":' || ${column('runtime_env')}::text
    || ',"driver_agent_http_address":"","driver_node_id":'
    || ${quoted(driverNodeId)}
    || ',"driver_exit_code":' || COALESCE(${column('exit_code')}::text, 'null')
    || ',"error_type":' || ${quoted(column('error_type'))} || '}'`;
}

/** The transaction-local setting that marks the fill's writes (postgresDetailsJsonFill.ts). */
export const FILLING_SETTING = 'jobs.filling_details_json';

/**
 * The migration that keeps each ended job's JobDetails JSON in its row (column details_json),
 * so the unpaged list of ended jobs, most of any long history, reads text instead of building
 * it: building it was most of the database's time for that list. An ended row never changes
 * (every UPDATE of the store is limited to PENDING and RUNNING rows), so its text is written
 * once, by a trigger, when the job ends; the trigger runs on any write that leaves a row ended,
 * so the text cannot go stale. The change log leaves the text out of the rows it records, which
 * would otherwise double in size.
 *
 * The migration itself only adds the column, which takes no time whatever the table holds: the
 * jobs that had already ended are left without their text, which readers build as before
 * (postgresJobDetailsJsonSql), and row job_details_fill names the range of jobs (by seq) that
 * may still lack it. The server fills that range afterwards, a batch a transaction
 * (postgresDetailsJsonFill.ts), while other replicas go on reading and writing the table. A
 * fill is not a change of the job: the change log records nothing of the transactions that set
 * FILLING_SETTING, and replicas have nothing to learn. (Databases that took an earlier text of
 * this migration had every ended row's text written in the migration, by one rewrite of the
 * table, and hold no job_details_fill.)
 *
 * Function job_details_json builds the text, for the trigger, the fill and the jobs not ended.
 * This is the text migration 6 runs: a change to the JSON needs a new migration that replaces
 * the function and rewrites details_json.
 */
export const keepDetailsJsonMigration = `
  CREATE FUNCTION job_details_json(job jobs) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS
    $$ SELECT ${jobDetailsJson('job')} $$;
  ALTER TABLE jobs ADD COLUMN details_json text;
  CREATE FUNCTION jobs_keep_details_json() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    NEW.details_json := CASE WHEN NEW.end_time IS NULL THEN NULL ELSE job_details_json(NEW) END;
    RETURN NEW;
  END $$;
  CREATE TRIGGER jobs_details_json BEFORE INSERT OR UPDATE ON jobs
    FOR EACH ROW WHEN (NEW.end_time IS NOT NULL OR NEW.details_json IS NOT NULL)
    EXECUTE FUNCTION jobs_keep_details_json();
  CREATE TABLE job_details_fill (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    next_seq bigint  NOT NULL,
    last_seq bigint  NOT NULL
  );
  INSERT INTO job_details_fill (next_seq, last_seq)
    SELECT (SELECT min(seq) FROM jobs), (SELECT max(seq) FROM jobs)
    WHERE EXISTS (SELECT 1 FROM jobs WHERE end_time IS NOT NULL);
  CREATE OR REPLACE FUNCTION jobs_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    event_id bigint;
    job jobs;
  BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('${FILLING_SETTING}', true) = 'on' THEN
      RETURN NULL;
    END IF;
    UPDATE job_event_counter SET last_id = last_id + 1 RETURNING last_id INTO event_id;
    IF TG_OP = 'DELETE' THEN job := OLD; ELSE job := NEW; END IF;
    job.details_json := NULL;
    INSERT INTO job_events VALUES (event_id,
      CASE WHEN TG_OP = 'INSERT' THEN 'created'
           WHEN TG_OP = 'DELETE' THEN 'deleted'
           WHEN OLD.status = NEW.status THEN 'updated'
           ELSE 'status_changed' END,
      job.submission_id, row_to_json(job));
    PERFORM pg_notify('jobs_changed', '');
    RETURN NULL;
  END $$;`;

/** A selected `jobs` row's JobDetails JSON: the text kept if it has ended, else built. */
export const postgresJobDetailsJsonSql = 'COALESCE(details_json, job_details_json(jobs))';
