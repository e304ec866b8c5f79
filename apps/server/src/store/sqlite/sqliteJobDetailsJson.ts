/**
 * SQL that serialises a `jobs` row as its JobDetails JSON, the same bytes JSON.stringify of
 * toJobDetails() gives (jobs/toJobDetails.ts; listJobs.test.ts checks that both agree). The
 * unpaged list uses it: there, parsing each row's JSON columns and serialising them again in
 * JavaScript is most of the cost. The text is written by format() rather than built by
 * json_object(): metadata and runtime_env are stored as JSON.stringify wrote them, so they are
 * spliced in as they are instead of being parsed and rendered again (a third of the query's
 * time), and json_quote() escapes strings as JSON.stringify does. format() writes the text once,
 * where a chain of || copies it at every step (7 % slower in all).
 */
export const jobDetailsJsonSql = `format('{"type":"SUBMISSION","submission_id":%s,"entrypoint":%s,'
    || '"driver_info":{"id":%s,"node_ip_address":%s,"pid":%s},"status":%s,"message":%s,'
    || '"start_time":%s,"end_time":%s,"metadata":%s,"runtime_env":%s,'
    || '"driver_agent_http_address":"","driver_node_id":%s,"driver_exit_code":%s,"error_type":%s}',
  json_quote(submission_id),
  json_quote(entrypoint),
  json_quote(CASE WHEN driver_ref IS NULL THEN submission_id ELSE driver_id END),
  json_quote(CASE WHEN driver_ref IS NULL THEN '' ELSE driver_node_ip END),
  json_quote(CASE WHEN driver_ref IS NULL THEN '' ELSE driver_pid END),
  json_quote(status),
  json_quote(message),
  json_quote(CAST(start_time AS TEXT)),
  json_quote(CASE WHEN end_time IS NULL THEN '' ELSE CAST(end_time AS TEXT) END),
  metadata,
  runtime_env,
  json_quote(CASE WHEN driver_node_id = '' THEN node_id ELSE driver_node_id END),
  json_quote(exit_code),
  json_quote(error_type))`;
