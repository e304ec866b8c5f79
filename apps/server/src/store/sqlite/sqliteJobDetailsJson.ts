/**
 * SQL that serialises a `jobs` row as its JobDetails JSON, the same bytes JSON.stringify of
 * toJobDetails() gives (jobs/toJobDetails.ts; listJobs.test.ts checks that both agree). The
 * unpaged list uses it: there, parsing each row's JSON columns and serialising them again in
 * JavaScript is most of the cost. The text is concatenated rather than built by json_object():
 * metadata and runtime_env are stored as JSON.stringify wrote them, so they are spliced in as
 * they are instead of being parsed and rendered again (a third of the query's time), and
 * json_quote() escapes strings as JSON.stringify does.
 */
export const jobDetailsJsonSql = `'{"type":"SUBMISSION","submission_id":' || json_quote(submission_id)
  || ',"entrypoint":' || json_quote(entrypoint)
  || ',"driver_info":{"id":'
  || json_quote(CASE WHEN driver_ref IS NULL THEN submission_id ELSE driver_id END)
  || ',"node_ip_address":'
  || json_quote(CASE WHEN driver_ref IS NULL THEN '' ELSE driver_node_ip END)
  || ',"pid":' || json_quote(CASE WHEN driver_ref IS NULL THEN '' ELSE driver_pid END)
  || '},"status":' || json_quote(status)
  || ',"message":' || json_quote(message)
  || ',"start_time":' || json_quote(CAST(start_time AS TEXT))
  || ',"end_time":'
  || json_quote(CASE WHEN end_time IS NULL THEN '' ELSE CAST(end_time AS TEXT) END)
  || ',"metadata":' || metadata
  || ',"runtime_env":' || runtime_env
  || ',"driver_agent_http_address":"","driver_node_id":'
  || json_quote(CASE WHEN driver_node_id = '' THEN node_id ELSE driver_node_id END)
  || ',"driver_exit_code":' || json_quote(exit_code)
  || ',"error_type":' || json_quote(error_type) || '}'`;
