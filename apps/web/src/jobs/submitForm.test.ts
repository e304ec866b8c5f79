import { describe, expect, it } from 'vitest';
import { emptySubmitForm, fieldOfApiMessage, parseSubmitForm } from './submitForm.js';

describe('parseSubmitForm', () => {
  it('sends only the entrypoint when nothing else is filled in', () => {
    expect(parseSubmitForm({ ...emptySubmitForm, entrypoint: 'echo hi' })).toEqual({
      ok: true,
      request: { entrypoint: 'echo hi' },
    });
  });

  it('reads NAME=value lines, numbers and custom resources', () => {
    const parsed = parseSubmitForm({
      entrypoint: 'python train.py',
      submissionId: ' nightly ',
      envVars: 'MODE=test\n\nURL=http://x/?a=b',
      workingDir: '',
      pip: '',
      metadata: 'team = ml',
      cpus: '2',
      gpus: '0.5',
      memoryBytes: '1024',
      resources: 'tpu=4',
    });
    expect(parsed).toEqual({
      ok: true,
      request: {
        entrypoint: 'python train.py',
        submission_id: 'nightly',
        runtime_env: { env_vars: { MODE: 'test', URL: 'http://x/?a=b' } },
        metadata: { team: 'ml' },
        entrypoint_num_cpus: 2,
        entrypoint_num_gpus: 0.5,
        entrypoint_memory: 1024,
        entrypoint_resources: { tpu: 4 },
      },
    });
  });

  it('names the field and line that cannot be read', () => {
    const parsed = parseSubmitForm({
      ...emptySubmitForm,
      entrypoint: 'true',
      metadata: 'team=ml\nowner',
      cpus: 'two',
      resources: 'tpu=many',
    });
    expect(parsed).toEqual({
      ok: false,
      errors: {
        metadata: 'Line 2 is not NAME=value.',
        cpus: 'Must be a number.',
        resources: 'tpu must be a number.',
      },
    });
  });
});

describe('the runtime environment fields', () => {
  it('sends the working directory and one pip requirement a line, comments skipped', () => {
    const parsed = parseSubmitForm({
      ...emptySubmitForm,
      entrypoint: 'python main.py',
      envVars: 'A=1',
      workingDir: '  /srv/project.zip ',
      pip: 'requests==2.32.3\n\n# pinned for the demo\n  numpy  \n',
    });
    expect(parsed).toEqual({
      ok: true,
      request: {
        entrypoint: 'python main.py',
        runtime_env: {
          env_vars: { A: '1' },
          working_dir: '/srv/project.zip',
          pip: ['requests==2.32.3', 'numpy'],
        },
      },
    });
  });
});

describe('fieldOfApiMessage', () => {
  it('finds the field the server names', () => {
    expect(
      fieldOfApiMessage('INVALID_REQUEST', 'Invalid request: body.entrypoint is required.'),
    ).toBe('entrypoint');
    expect(
      fieldOfApiMessage('INVALID_REQUEST', 'Invalid request: body.runtime_env.env_vars.A must be…'),
    ).toBe('envVars');
    expect(
      fieldOfApiMessage('INVALID_REQUEST', 'Invalid request: body.runtime_env.pip.0 must be…'),
    ).toBe('pip');
    expect(
      fieldOfApiMessage('INVALID_REQUEST', 'Invalid request: body.runtime_env.working_dir must…'),
    ).toBe('workingDir');
    expect(
      fieldOfApiMessage('INVALID_REQUEST', "Invalid request: body.runtime_env has 'conda', which…"),
    ).toBe('envVars');
    expect(fieldOfApiMessage('JOB_ALREADY_EXISTS', 'Job nightly already exists.')).toBe(
      'submissionId',
    );
  });

  it('leaves messages about no known field to the form as a whole', () => {
    expect(fieldOfApiMessage('INVALID_JSON', 'The body is not JSON.')).toBeUndefined();
  });
});
