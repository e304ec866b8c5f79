import { useId } from 'react';
import type { JobFilter } from '../jobs/jobFilters.js';

/** Search and metadata key/value filter; the status filter is the chips above. */
export function JobFilters(props: { filter: JobFilter; onChange: (filter: JobFilter) => void }) {
  const id = useId();
  const field = (name: 'search' | 'metadataKey' | 'metadataValue', label: string, hint: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type={name === 'search' ? 'search' : 'text'}
        placeholder={hint}
        value={props.filter[name]}
        onChange={(event) => {
          props.onChange({ ...props.filter, [name]: event.target.value });
        }}
      />
    </div>
  );
  return (
    <div className="filters">
      {field('search', 'Search', 'id, entrypoint, message, metadata')}
      {field('metadataKey', 'Metadata key', 'e.g. team')}
      {field('metadataValue', 'Metadata value', 'e.g. ml')}
    </div>
  );
}
