import { describeError } from '../api/describeError.js';

export type BulkAction = 'stop' | 'delete';

/** What became of one job of a bulk stop or delete. */
export interface BulkOutcome {
  submissionId: string;
  done: boolean;
  /** "stopped", "deleted", or why the server refused. */
  text: string;
}

/** What each action's `false` answer means (see the stop and delete routes). */
const refusedBecause: Record<BulkAction, string> = {
  stop: 'refused: it had already ended',
  delete: 'refused: a pending or running job cannot be deleted; stop it first',
};

const doneText: Record<BulkAction, string> = { stop: 'stopped', delete: 'deleted' };

/**
 * Applies `act` to each job in turn, one request at a time (a selection of hundreds must not
 * open hundreds of connections), and says what became of each; one refusal or error does not
 * stop the others.
 */
export async function runBulkAction(
  action: BulkAction,
  submissionIds: readonly string[],
  act: (submissionId: string) => Promise<boolean>,
): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = [];
  for (const submissionId of submissionIds) {
    try {
      const done = await act(submissionId);
      outcomes.push({
        submissionId,
        done,
        text: done ? doneText[action] : refusedBecause[action],
      });
    } catch (error) {
      const { title, detail } = describeError(error);
      outcomes.push({ submissionId, done: false, text: `refused: ${title}: ${detail}` });
    }
  }
  return outcomes;
}
