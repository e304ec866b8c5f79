/** A text column as a JSON string: to_json escapes exactly as JSON.stringify does. */
const quoted = (expression: string) => `to_json(${expression})::text`;

/**
 * SQL that serialises a `jobs` row as its JobDetails JSON, the same bytes JSON.stringify of
 * toJobDetails() gives (jobs/toJobDetails.ts; the store suite checks that both agree). The
 * unpaged list uses it. The text is concatenated rather than built by json_build_object, whose
 * `"key" : value` spacing differs from JSON.stringify and which renders every value again:
 * metadata and runtime_env are stored as JSON.stringify wrote them (the json type keeps its
 * input text), so they are spliced in as they are.
 */
export const postgresJobDetailsJsonSql = `'{"type":"SUBMISSION","submission_id":' || ${quoted('submission_id')}
  || ',"entrypoint":' || ${quoted('entrypoint')}
  || ',"driver_info":{"id":'
  || ${quoted('CASE WHEN driver_ref IS NULL THEN submission_id ELSE driver_id END')}
  || ',"node_ip_address":'
  || ${quoted(`CASE WHEN driver_ref IS NULL THEN '' ELSE driver_node_ip END`)}
  || ',"pid":' || ${quoted(`CASE WHEN driver_ref IS NULL THEN '' ELSE driver_pid END`)}
  || '},"status":"' || status
  || '","message":' || ${quoted('message')}
  || ',"start_time":"' || start_time::text
  || '","end_time":"' || COALESCE(end_time::text, '')
  || '","metadata":' || metadata::text
  || ',"runtime_env":' || runtime_env::text
  || ',"driver_agent_http_address":"","driver_node_id":'
  || ${quoted(`CASE WHEN driver_node_id = '' THEN node_id ELSE driver_node_id END`)}
  || ',"driver_exit_code":' || COALESCE(exit_code::text, 'null')
  || ',"error_type":' || ${quoted('error_type')} || '}'`;
