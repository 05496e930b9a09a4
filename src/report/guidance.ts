import type { Change } from '../plan/changes.js';

/** What would make a blocking finding pass, for a person or an agent to act on. */
export interface Guidance {
  action: 'approve' | 'moved-block' | 'keep-attribute' | 'change-plan';
  text: string;
  /** approve: the change set to approve and the command a senior runs. */
  digest?: string;
  command?: string;
  /** moved-block: the likely pair, when the plan deletes one address and creates another of the same type. */
  moved?: { from: string; to: string };
  /** keep-attribute: the attributes whose change forces the replacement. */
  attributes?: string[];
}

export interface GuidanceInput {
  enforcement: string;
  approvalsRequired: number;
  change?: Change;
  /** Every change of the plan, creates included: to find the other half of a rename. */
  allChanges: readonly Change[];
  digest: string;
  planSource: string;
  approverIds: readonly string[];
}

export function guidanceFor(input: GuidanceInput): Guidance[] {
  const list: Guidance[] = [];
  const { change } = input;
  if (change && change.kind === 'delete' && change.deposed === undefined) {
    const pair = renameTarget(change, input.allChanges);
    if (pair) {
      list.push({
        action: 'moved-block',
        text: `If ${change.address} was renamed to ${pair.address}, say so with a moved block and nothing is destroyed: moved { from = ${change.address}  to = ${pair.address} }`,
        moved: { from: change.address, to: pair.address },
      });
    }
  }
  if (change && (change.kind === 'replace' || change.kind === 'import-replace') && change.replacePaths && change.replacePaths.length > 0) {
    const attributes = [...new Set(change.replacePaths.map((path) => String(path[0])))];
    list.push({
      action: 'keep-attribute',
      text: `Keep ${attributes.join(', ')} as ${attributes.length === 1 ? 'it is' : 'they are'}: changing ${attributes.length === 1 ? 'it' : 'them'} forces a new ${change.type}, which destroys the old one`,
      attributes,
    });
  }
  if (input.enforcement === 'hard-mandatory') {
    list.push({ action: 'change-plan', text: 'A hard-mandatory rule: no approval can clear this; the plan must change' });
  } else if (input.approvalsRequired > 0) {
    const id = input.approverIds.length === 1 ? input.approverIds[0]! : 'YOUR-APPROVER-ID';
    list.push({
      action: 'approve',
      text: `${input.approvalsRequired} senior approval${input.approvalsRequired > 1 ? 's' : ''} of change set ${input.digest}: a signed record, or an approving review of the pull request's head commit by a listed approver`,
      digest: input.digest,
      command: `tfguard approve ${shellWord(input.planSource.startsWith('-') && input.planSource !== '-' ? `./${input.planSource}` : input.planSource)} --as=${shellWord(id)} --key ~/.ssh/id_ed25519`,
    });
  }
  return list;
}

/** A word safe to paste into a POSIX shell: left bare when it is plainly safe, else single-quoted. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The one create of the same type in the same module, when there is exactly one: the likely new name. */
function renameTarget(deleted: Change, all: readonly Change[]): Change | undefined {
  const creates = all.filter((item) => item.kind === 'create' && item.type === deleted.type && item.module === deleted.module && item.address !== deleted.address);
  return creates.length === 1 ? creates[0] : undefined;
}
