import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { derived, example, plan } from '../helpers/paths.js';
import { runMain } from '../helpers/run-main.js';
import { runCli } from '../helpers/run-cli.js';

/** Runs the built CLI on a committed Terraform fixture and returns its JSON report and exit code. */
async function check(file: string, ...args: string[]): Promise<{ report: Report; status: number | null; stderr: string }> {
  const result = (await runMain(['--format', 'json', ...args, file]));
  return { report: JSON.parse(result.stdout) as Report, status: result.status, stderr: result.stderr };
}

const destructive = (report: Report) => report.changes.map((change) => [change.address, change.kind, change.action_reason]);

describe('single-resource destroys (real Terraform 1.11.4 plans)', () => {
  it('delete: a resource block removed from the configuration', async () => {
    const { report, status } = (await check(plan('delete')));
    expect(destructive(report)).toEqual([['terraform_data.database', 'delete', 'delete_because_no_resource_config']]);
    expect(report.findings.map((finding) => [finding.rule, finding.effect])).toEqual([['destructive', 'warn']]);
    expect([report.verdict, status]).toEqual(['warn', 0]);
  });

  it('count shrink and for_each shrink, with odd for_each keys kept verbatim', async () => {
    expect(destructive((await check(plan('count-shrink'))).report)).toEqual([
      ['terraform_data.replica[1]', 'delete', 'delete_because_count_index'],
      ['terraform_data.replica[2]', 'delete', 'delete_because_count_index'],
    ]);
    const addresses = (await check(plan('for-each-shrink'))).report.changes.map((change) => change.address);
    expect(addresses).toContain('terraform_data.bucket["team \\"a\\"/prod"]');
    expect(addresses).toContain('terraform_data.bucket["daten-ü"]');
    expect(addresses).toContain('terraform_data.bucket["with space"]');
    expect((await check(plan('for-each-shrink'))).report.changes.every((change) => change.action_reason === 'delete_because_each_key')).toBe(true);
  });

  it('wrong repetition, module removed, module count shrink, nested modules', async () => {
    expect((await check(plan('wrong-repetition'))).report.changes.map((change) => change.action_reason)).toContain('delete_because_wrong_repetition');
    const removed = (await check(plan('module-removed'))).report.changes;
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.every((change) => change.module !== undefined && change.action_reason === 'delete_because_no_resource_config')).toBe(true);
    const shrunk = (await check(plan('module-count-shrink'))).report.changes;
    expect(shrunk.length).toBeGreaterThan(0);
    expect(shrunk.every((change) => change.action_reason === 'delete_because_no_module' && change.module === 'module.db[1]')).toBe(true);
    const nested = (await check(plan('nested-modules-for-each'))).report.changes;
    expect(nested.length).toBeGreaterThan(0);
    expect(nested.every((change) => change.action_reason === 'delete_because_no_module')).toBe(true);
    expect(nested.map((change) => change.module)).toContain('module.env["prod"].module.service["worker"]');
  });
});

describe('replacements say why', () => {
  it('replace by attribute carries replace_paths', async () => {
    const [change] = (await check(plan('replace-by-attribute'))).report.changes;
    expect(change).toMatchObject({ kind: 'replace', order: 'delete-first', action_reason: 'replace_because_cannot_update' });
    expect(change!.replace_paths).toEqual([['triggers_replace']]);
  });

  it('create_before_destroy, own and propagated, is a replace that creates first', async () => {
    expect((await check(plan('replace-create-before-destroy'))).report.changes.map((change) => change.order)).toContain('create-first');
    // The replaced resource has no lifecycle block: create_before_destroy comes from its dependent.
    const propagated = (await check(plan('replace-cbd-propagated'))).report.changes;
    expect(propagated.map((change) => [change.kind, change.order])).toEqual([['replace', 'create-first']]);
  });

  it.each([
    ['replace-by-request', 'replace_by_request'],
    ['replace-tainted', 'replace_because_tainted'],
    ['replace-triggered-by', 'replace_by_triggers'],
  ])('%s has reason %s', async (scenario, reason) => {
    const { report } = (await check(plan(scenario)));
    expect(report.changes.map((change) => change.action_reason)).toContain(reason);
    expect(report.changes.every((change) => change.kind === 'replace')).toBe(true);
  });
});

describe('deposed objects, moves, removed blocks, imports', () => {
  it('a deposed object is its own destructive change, keyed by address and deposed key', async () => {
    const { report } = (await check(plan('deposed-orphan')));
    const entries = report.changes.filter((change) => change.address === 'terraform_data.db');
    expect(entries).toHaveLength(2);
    expect(entries.filter((change) => /^[0-9a-f]{8}$/.test(change.deposed ?? ''))).toHaveLength(1);
    const deposedOnly = (await check(plan('deposed'))).report;
    expect(deposedOnly.changes.some((change) => change.deposed !== undefined && change.kind === 'delete')).toBe(true);
  });

  it('a rename with a moved block is reported as a move, not a destroy', async () => {
    const { report, status } = (await check(plan('moved-rename')));
    expect(report.changes).toEqual([]);
    expect(report.notices.some((notice) => notice.kind === 'moved')).toBe(true);
    expect(status).toBe(0);
  });

  it('a moved block without a target deletes, with the previous address', async () => {
    const { report } = (await check(plan('moved-no-target')));
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]).toMatchObject({ kind: 'delete', action_reason: 'delete_because_no_move_target' });
    expect(report.changes[0]!.previous_address).toBeDefined();
  });

  it('moved and replaced: the replace keeps its previous address', async () => {
    const { report } = (await check(plan('moved-and-replaced')));
    expect(report.changes.some((change) => change.kind === 'replace' && change.previous_address !== undefined)).toBe(true);
  });

  it('removed blocks: destroy = false forgets, destroy = true deletes', async () => {
    const forgotten = (await check(plan('removed-forget'))).report.changes;
    expect(forgotten.length).toBeGreaterThan(0);
    expect(forgotten.every((change) => change.kind === 'forget')).toBe(true);
    expect((await check(plan('removed-destroy'))).report.changes.every((change) => change.kind === 'delete')).toBe(true);
    expect((await check(plan('removed-destroy'))).report.changes.length).toBeGreaterThan(0);
  });

  it('import: a plain import is a notice; import then replace destroys the imported object', async () => {
    const noop = (await check(plan('import-noop'))).report;
    expect(noop.changes).toEqual([]);
    expect(noop.notices.some((notice) => notice.kind === 'imported')).toBe(true);
    const replaced = (await check(plan('import-then-replace'))).report;
    expect(replaced.changes).toHaveLength(1);
    expect(replaced.changes[0]).toMatchObject({ kind: 'import-replace' });
    expect(replaced.changes[0]!.importing).toBeDefined();
  });
});

describe('plan modes and incomplete plans', () => {
  it('a -destroy plan is the whole environment, and blocks', async () => {
    const { report, status } = (await check(plan('destroy-mode')));
    expect(report.plan.mode).toBe('destroy');
    expect(report.whole_environment).toMatchObject({ destroy_mode: true, destroyed: 6, existing: 6 });
    expect(report.findings.find((finding) => finding.rule === 'whole-environment')).toMatchObject({ effect: 'block', approvals_required: 2, address: null });
    expect([report.verdict, status]).toEqual(['block', 1]);
  });

  it('a refresh-only plan has no changes and says what it is', async () => {
    const { report, status } = (await check(plan('refresh-only')));
    expect(report.plan.mode).toBe('refresh-only');
    expect(report.changes).toEqual([]);
    expect(report.notices.map((notice) => notice.kind)).toContain('refresh-only');
    expect(status).toBe(0);
  });

  it('a targeted plan is reported as incomplete', async () => {
    const { report } = (await check(plan('targeted')));
    expect(report.plan.complete).toBe(false);
    expect(report.notices.map((notice) => notice.kind)).toContain('incomplete');
  });

  it.each(['errored-prevent-destroy', 'errored-destroy-prevent'])('%s: reports its destructive changes, then exits 2', async (scenario) => {
    const { report, status, stderr } = (await check(plan(scenario)));
    expect(report.plan.errored).toBe(true);
    expect(report.verdict).toBe('error');
    expect(report.changes.length).toBeGreaterThan(0);
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^tfguard: error: .*errored/);
  });

  it('no changes, creates only, in-place updates and removed outputs are allowed', async () => {
    for (const scenario of ['no-changes', 'create-only', 'update-in-place', 'outputs-only']) {
      const { report, status } = (await check(plan(scenario)));
      expect([scenario, report.changes, status]).toEqual([scenario, [], 0]);
    }
  });
});

describe('values known only after apply', () => {
  it('a replace whose new values are unknown is still reported with its cause', async () => {
    const { report } = (await check(plan('unknown-values')));
    expect(report.changes).toEqual([expect.objectContaining({ address: 'terraform_data.network', kind: 'replace', action_reason: 'replace_because_cannot_update' })]);
  });

  it('data source reads are never destructive', async () => {
    const { report } = (await check(plan('data-source-reads')));
    expect(report.changes.every((change) => !change.address.startsWith('data.'))).toBe(true);
    expect(report.changes.map((change) => change.address)).toEqual(['terraform_data.app']);
  });
});

describe('whole-environment deletion', () => {
  it('7 of 12 resources destroyed blocks; 3 of 12 only warns', async () => {
    const mass = (await check(plan('mass-deletion')));
    expect(mass.report.whole_environment).toMatchObject({ destroyed: 7, existing: 12 });
    expect(mass.report.findings.map((finding) => finding.rule)).toContain('whole-environment');
    expect(mass.status).toBe(1);
    const few = (await check(plan('mass-deletion-below-threshold')));
    expect(few.report.whole_environment).toMatchObject({ destroyed: 3, existing: 12 });
    expect(few.report.findings.map((finding) => finding.rule)).not.toContain('whole-environment');
    expect(few.status).toBe(0);
  });
});

describe('stateful resources (plans derived from real terraform_data plans)', () => {
  it('environment recreation: database, bucket, queue and key replaced, the rest destroyed — blocked', async () => {
    const { report, status } = (await check(example('environment-recreation')));
    expect(status).toBe(1);
    const blocking = report.findings.filter((finding) => finding.effect === 'block').map((finding) => finding.address);
    expect(blocking).toEqual(expect.arrayContaining([null, 'aws_db_instance.main', 'aws_s3_bucket.assets', 'aws_sqs_queue.jobs', 'aws_kms_key.data']));
    const db = report.changes.find((change) => change.address === 'aws_db_instance.main')!;
    expect(db).toMatchObject({ kind: 'replace', stateful: true, category: 'database', severity: 'critical' });
    expect(db.replace_forcing?.length).toBeGreaterThan(0);
    const group = report.changes.find((change) => change.type === 'aws_security_group');
    expect(group?.stateful).toBe(false);
  });

  it('a human-declared change still blocks on whole-environment deletion but not on single stateful destroys', async () => {
    const { report, status } = (await check(example('environment-recreation'), '--provenance', 'human'));
    expect(report.provenance).toMatchObject({ ai: false, basis: 'declared' });
    const blocking = report.findings.filter((finding) => finding.effect === 'block').map((finding) => finding.rule);
    expect(blocking).toEqual(['whole-environment']);
    expect(status).toBe(1);
  });

  it('safe change: a non-stateful replace warns, nothing blocks', async () => {
    const { report, status } = (await check(example('safe-change')));
    expect(report.findings.every((finding) => finding.effect === 'warn')).toBe(true);
    expect(report.changes.every((change) => !change.stateful)).toBe(true);
    expect([report.verdict, status]).toEqual(['warn', 0]);
  });

  it('protection downgrades block when AI-generated and warn when human', async () => {
    const ai = (await check(derived('protection-downgrade')));
    const attributes = ai.report.protection_downgrades.map((item) => `${item.address} ${item.attribute}`);
    expect(attributes).toEqual(
      expect.arrayContaining([
        'aws_db_instance.main deletion_protection',
        'aws_db_instance.main skip_final_snapshot',
        'aws_db_instance.main backup_retention_period',
        'aws_s3_bucket.assets force_destroy',
      ]),
    );
    expect(ai.status).toBe(1);
    const human = (await check(derived('protection-downgrade'), '--provenance', 'human'));
    expect(human.report.findings.every((finding) => finding.effect === 'warn')).toBe(true);
    expect(human.status).toBe(0);
  });
});
