import { JobsApiError } from '@jobs/client';
import { useJob, useSubmitJob } from '@jobs/react';
import { type SyntheticEvent, useState } from 'react';
import { describeError } from '../api/describeError.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import {
  type FieldErrors,
  type SubmitFormField,
  type SubmitFormValues,
  emptySubmitForm,
  fieldOfApiMessage,
  parseSubmitForm,
} from '../jobs/submitForm.js';
import { formOfJob } from '../jobs/submission.js';
import { routeHref } from '../useHashRoute.js';

interface FieldSpec {
  name: SubmitFormField;
  label: string;
  hint: string;
  multiline?: boolean;
  required?: boolean;
  inputMode?: 'decimal' | 'numeric';
}

const mainFields: FieldSpec[] = [
  {
    name: 'entrypoint',
    label: 'Entrypoint',
    hint: 'Shell command, run as /bin/sh -c. Example: python train.py --epochs 3',
    multiline: true,
    required: true,
  },
  {
    name: 'submissionId',
    label: 'Submission id (optional)',
    hint: "Letters, digits, '-', '_' and '.'; generated when empty.",
  },
  {
    name: 'envVars',
    label: 'Environment variables',
    hint: 'One NAME=value a line.',
    multiline: true,
  },
  {
    name: 'metadata',
    label: 'Metadata',
    hint: 'One key=value a line, e.g. team=ml.',
    multiline: true,
  },
];

const runtimeEnvFields: FieldSpec[] = [
  {
    name: 'workingDir',
    label: 'Working directory',
    hint: 'An absolute path (or file:// URL) on the server: a directory, or a .zip / .tar.gz archive extracted for this job.',
  },
  {
    name: 'pip',
    label: 'Python packages',
    hint: 'One pip requirement a line, e.g. requests==2.32.3; installed in a venv for this job.',
    multiline: true,
  },
];

const resourceFields: FieldSpec[] = [
  { name: 'cpus', label: 'CPUs', hint: 'e.g. 2 or 0.5', inputMode: 'decimal' },
  { name: 'gpus', label: 'GPUs', hint: 'e.g. 1', inputMode: 'decimal' },
  { name: 'memoryBytes', label: 'Memory (bytes)', hint: 'e.g. 1073741824', inputMode: 'numeric' },
  {
    name: 'resources',
    label: 'Custom resources',
    hint: 'One name=amount a line, e.g. tpu=4.',
    multiline: true,
  },
];

/** The submit form: empty, or filled with the submission of job `from` to submit it again. */
export function SubmitJobPage(props: { from: string | undefined }) {
  if (props.from === undefined) return <SubmitForm initial={emptySubmitForm} />;
  return <SubmitAgain from={props.from} />;
}

function SubmitAgain(props: { from: string }) {
  const read = useJob(props.from);
  if (read.data !== undefined) return <SubmitForm initial={formOfJob(read.data.job)} />;
  return (
    <section className="panel narrow-panel" aria-labelledby="submit-title">
      <h1 id="submit-title">Submit a job</h1>
      {read.error === null ? (
        <div className="placeholder" role="status">
          Loading {props.from}…
        </div>
      ) : (
        <ErrorBanner error={read.error} />
      )}
    </section>
  );
}

function SubmitForm(props: { initial: SubmitFormValues }) {
  const submitJob = useSubmitJob();
  const [values, setValues] = useState(props.initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<unknown>();

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setFormError(undefined);
    const parsed = parseSubmitForm(values);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    try {
      const { submission_id } = await submitJob.mutateAsync(parsed.request);
      window.location.hash = routeHref.job(submission_id);
    } catch (caught) {
      const field =
        caught instanceof JobsApiError ? fieldOfApiMessage(caught.code, caught.message) : undefined;
      if (field === undefined) setFormError(caught);
      else setErrors({ [field]: describeError(caught).detail });
    }
  };

  const renderField = (spec: FieldSpec) => {
    const id = `submit-${spec.name}`;
    const error = errors[spec.name];
    const common = {
      id,
      name: spec.name,
      value: values[spec.name],
      required: spec.required,
      'aria-invalid': error !== undefined,
      'aria-describedby': `${id}-hint${error === undefined ? '' : ` ${id}-error`}`,
      onChange: (event: { target: { value: string } }) => {
        setValues({ ...values, [spec.name]: event.target.value });
      },
    };
    return (
      <div className="field" key={spec.name}>
        <label htmlFor={id}>{spec.label}</label>
        {spec.multiline === true ? (
          <textarea {...common} rows={spec.name === 'entrypoint' ? 3 : 2} spellCheck={false} />
        ) : (
          <input {...common} type="text" inputMode={spec.inputMode} spellCheck={false} />
        )}
        <span id={`${id}-hint`} className="hint">
          {spec.hint}
        </span>
        {error !== undefined && (
          <span id={`${id}-error`} className="field-error" role="alert">
            {error}
          </span>
        )}
      </div>
    );
  };

  return (
    <section className="panel narrow-panel" aria-labelledby="submit-title">
      <h1 id="submit-title">Submit a job</h1>
      {formError !== undefined && <ErrorBanner error={formError} />}
      <form onSubmit={(event) => void submit(event)} className="stack" noValidate>
        {mainFields.map(renderField)}
        <fieldset>
          <legend>Runtime environment</legend>
          {runtimeEnvFields.map(renderField)}
        </fieldset>
        <fieldset>
          <legend>Resources</legend>
          <div className="resource-grid">{resourceFields.map(renderField)}</div>
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={submitJob.isPending}>
            {submitJob.isPending ? 'Submitting…' : 'Submit job'}
          </button>
          <a className="button" href={routeHref.list}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
