/** A text column as a JSON string: to_json escapes exactly as JSON.stringify does. */
const quoted = (expression: string) => `to_json(${expression})::text`;

/**
 * SQL that serialises a `jobs` row, its columns read as `${row}column` ('NEW.' in a trigger), as
 * its JobDetails JSON: the same bytes JSON.stringify of toJobDetails() gives
 * (jobs/toJobDetails.ts; the store suite checks that both agree). The text is concatenated
 * rather than built by json_build_object, whose `"key" : value` spacing differs from
 * JSON.stringify and which renders every value again: metadata and runtime_env are stored as
 * JSON.stringify wrote them (the json type keeps its input text), so they are spliced in as they
 * are.
 */
export function jobDetailsJson(row = ''): string {
  const q = (expression: string) => quoted(expression.replaceAll('@', row));
  return `'{"type":"SUBMISSION","submission_id":' || ${q('@submission_id')}
  || ',"entrypoint":' || ${q('@entrypoint')}
  || ',"driver_info":{"id":'
  || ${q('CASE WHEN @driver_ref IS NULL THEN @submission_id ELSE @driver_id END')}
  || ',"node_ip_address":'
  || ${q(`CASE WHEN @driver_ref IS NULL THEN '' ELSE @driver_node_ip END`)}
  || ',"pid":' || ${q(`CASE WHEN @driver_ref IS NULL THEN '' ELSE @driver_pid END`)}
  || '},"status":"' || ${row}status
  || '","message":' || ${q('@message')}
  || ',"start_time":"' || ${row}start_time::text
  || '","end_time":"' || COALESCE(${row}end_time::text, '')
  || '","metadata":' || ${row}metadata::text
  || ',"runtime_env":' || ${row}runtime_env::text
  || ',"driver_agent_http_address":"","driver_node_id":'
  || ${q(`CASE WHEN @driver_node_id = '' THEN @node_id ELSE @driver_node_id END`)}
  || ',"driver_exit_code":' || COALESCE(${row}exit_code::text, 'null')
  || ',"error_type":' || ${q('@error_type')} || '}'`;
}

/**
 * A row's JobDetails JSON as lists read it: kept in `details_json` by a trigger at every write
 * (postgresSchema.ts), so a list reads one column instead of building a text per job; built
 * here for a row written before that column existed.
 */
export const postgresJobDetailsJsonSql = `COALESCE(details_json, ${jobDetailsJson()})`;
