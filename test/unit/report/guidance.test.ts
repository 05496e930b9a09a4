import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/commands/check.js';
import { configurationAddress, configurationDependents } from '../../../src/plan/references.js';
import { example, plan } from '../../helpers/paths.js';

describe('guidance in blocking findings', () => {
  it('a replace says which attribute to keep, and every soft-mandatory finding names the digest and the command', async () => {
    const { report } = await runCheck({ plan: example('environment-recreation'), policy: [], provenance: 'ai', collectProvenance: false });
    const db = report.findings.find((finding) => finding.address === 'aws_db_instance.main' && finding.rule === 'stateful-destroy')!;
    expect(db.guidance).toEqual([
      expect.objectContaining({ action: 'keep-attribute', attributes: ['engine'] }),
      expect.objectContaining({ action: 'approve', digest: report.plan.digest, command: expect.stringMatching(/^tfguard approve .*environment-recreation\/plan\.json --as=YOUR-APPROVER-ID --key/) }),
    ]);
    // Warnings and approved findings carry none.
    expect(report.findings.filter((finding) => finding.effect === 'warn').every((finding) => finding.guidance === undefined)).toBe(true);
  });

  it('a delete next to a create of the same type suggests the moved block, with both addresses', async () => {
    const document = JSON.parse(readFileSync(plan('delete'), 'utf8'));
    const deleted = document.resource_changes.find((entry: { change: { actions: string[] } }) => entry.change.actions.join() === 'delete');
    const created = { ...structuredClone(deleted), address: 'terraform_data.database_v2', name: 'database_v2', change: { ...deleted.change, actions: ['create'], before: null, after: deleted.change.before } };
    delete created.action_reason;
    document.resource_changes.push(created);
    const { report } = await runCheck({ plan: '-', stdin: () => Buffer.from(JSON.stringify(document)), policy: [], provenance: 'ai', collectProvenance: false, loadedPolicy: (await import('../../../src/policy/layer.js')).layerPolicies([{ source: 't', document: { rule: { all: { enforcement: 'hard-mandatory', match: { destructive: true } } } } }]) });
    expect(report.findings[0]!.guidance).toEqual([
      expect.objectContaining({ action: 'moved-block', moved: { from: 'terraform_data.database', to: 'terraform_data.database_v2' } }),
      expect.objectContaining({ action: 'change-plan' }),
    ]);
  });
});

describe('configuration dependents', () => {
  it('maps each resource to the resources whose expressions refer to it, modules included', () => {
    const configuration = {
      root_module: {
        resources: [
          { address: 'aws_db_instance.main', expressions: {} },
          { address: 'aws_lambda_function.api', expressions: { environment: [{ variables: { references: ['aws_db_instance.main.endpoint', 'aws_db_instance.main', 'var.x'] } }] } },
          { address: 'aws_cloudwatch_metric_alarm.db', expressions: {}, depends_on: ['aws_db_instance.main'] },
        ],
        module_calls: { app: { module: { resources: [{ address: 'aws_ecs_service.web', expressions: { x: { references: ['aws_ecs_cluster.c.id'] } } }] } } },
      },
    };
    const dependents = configurationDependents(configuration as never);
    expect(dependents.get('aws_db_instance.main')).toEqual(['aws_cloudwatch_metric_alarm.db', 'aws_lambda_function.api']);
    expect(dependents.get('module.app.aws_ecs_cluster.c')).toEqual(['module.app.aws_ecs_service.web']);
    expect(configurationAddress('module.env["prod"].aws_db_instance.main[0]')).toBe('module.env.aws_db_instance.main');
  });
});
