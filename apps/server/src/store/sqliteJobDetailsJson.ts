/**
 * SQL that serialises a `jobs` row as its JobDetails JSON, the same document toJobDetails()
 * builds (jobs/toJobDetails.ts; listJobs.test.ts checks that both agree). The unpaged list
 * uses it: there, parsing each row's JSON columns and serialising them again in JavaScript
 * is most of the cost; SQLite splices the stored JSON text in place instead.
 */
export const jobDetailsJsonSql = `json_object(
  'type', 'SUBMISSION',
  'submission_id', submission_id,
  'entrypoint', entrypoint,
  'driver_info', json_object(
    'id', CASE WHEN driver_ref IS NULL THEN submission_id ELSE driver_id END,
    'node_ip_address', CASE WHEN driver_ref IS NULL THEN '' ELSE driver_node_ip END,
    'pid', CASE WHEN driver_ref IS NULL THEN '' ELSE driver_pid END),
  'status', status,
  'message', message,
  'start_time', CAST(start_time AS TEXT),
  'end_time', CASE WHEN end_time IS NULL THEN '' ELSE CAST(end_time AS TEXT) END,
  'metadata', json(metadata),
  'runtime_env', json(runtime_env),
  'driver_agent_http_address', '',
  'driver_node_id', CASE WHEN driver_node_id = '' THEN node_id ELSE driver_node_id END,
  'driver_exit_code', exit_code,
  'error_type', error_type)`;
