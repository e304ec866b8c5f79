import { useId } from 'react';
import { type JobFilter, metadataCondition } from '../jobs/jobFilters.js';

type TextField = 'search' | 'metadataKey' | 'metadataValue';

/** Search, metadata key/value and submission time range; the status filter is the chips above. */
export function JobFilters(props: { filter: JobFilter; onChange: (filter: JobFilter) => void }) {
  const id = useId();
  const { filter } = props;
  const halfMetadata =
    metadataCondition(filter) === undefined &&
    (filter.metadataKey.trim() !== '' || filter.metadataValue.trim() !== '');
  const field = (name: TextField, label: string, hint: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type={name === 'search' ? 'search' : 'text'}
        placeholder={hint}
        value={filter[name]}
        spellCheck={false}
        aria-describedby={name === 'search' ? undefined : `${id}-metadata-hint`}
        onChange={(event) => {
          props.onChange({ ...filter, [name]: event.target.value });
        }}
      />
    </div>
  );
  const time = (name: 'submittedAfter' | 'submittedBefore', label: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type="datetime-local"
        // A bar of the activity chart sets its bounds to the millisecond; any step keeps them valid.
        step="any"
        value={filter[name]}
        onChange={(event) => {
          props.onChange({ ...filter, [name]: event.target.value });
        }}
      />
    </div>
  );
  return (
    <div className="filters">
      {field('search', 'Search', 'id or entrypoint text')}
      {field('metadataKey', 'Metadata key', 'e.g. team')}
      {field('metadataValue', 'Metadata value', 'e.g. ml')}
      {time('submittedAfter', 'Submitted after')}
      {time('submittedBefore', 'Submitted before')}
      <p id={`${id}-metadata-hint`} className="hint filters-hint" aria-live="polite">
        {halfMetadata ? 'Give both a metadata key and its exact value to filter by metadata.' : ''}
      </p>
    </div>
  );
}
