/**
 * SQL that serialises a `jobs` row as its JobDetails JSON, the same document toJobDetails()
 * builds (jobs/toJobDetails.ts; the store suite checks that both agree). The unpaged list uses
 * it: the stored metadata and runtime_env JSON are spliced in as they are, never parsed.
 */
export const postgresJobDetailsJsonSql = `json_build_object(
  'type', 'SUBMISSION',
  'submission_id', submission_id,
  'entrypoint', entrypoint,
  'driver_info', json_build_object(
    'id', CASE WHEN driver_ref IS NULL THEN submission_id ELSE driver_id END,
    'node_ip_address', CASE WHEN driver_ref IS NULL THEN '' ELSE driver_node_ip END,
    'pid', CASE WHEN driver_ref IS NULL THEN '' ELSE driver_pid END),
  'status', status,
  'message', message,
  'start_time', start_time::text,
  'end_time', CASE WHEN end_time IS NULL THEN '' ELSE end_time::text END,
  'metadata', metadata,
  'runtime_env', runtime_env,
  'driver_agent_http_address', '',
  'driver_node_id', CASE WHEN driver_node_id = '' THEN node_id ELSE driver_node_id END,
  'driver_exit_code', exit_code,
  'error_type', error_type)`;
