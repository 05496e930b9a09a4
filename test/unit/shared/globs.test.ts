import { describe, expect, it } from 'vitest';
import { checkGlob, compileGlobs, steps } from '../../../src/shared/globs.js';

describe('globs over Terraform names', () => {
  it('splits addresses at dots outside keys', () => {
    expect(steps('module.env["a.b"].aws_s3_bucket.b["x\\"y.z"]')).toEqual(['module', 'env["a.b"]', 'aws_s3_bucket', 'b["x\\"y.z"]']);
  });

  it.each([
    ['aws_db_*', 'aws_db_instance', true],
    ['aws_db_*', 'aws_rds_cluster', false],
    ['aws_{db,rds}_*', 'aws_rds_cluster', true],
    ['aws_db_instance.*', 'aws_db_instance.main', true],
    ['aws_db_instance.*', 'aws_db_instance.main[0]', true],
    ['aws_db_instance.*', 'module.a.aws_db_instance.main', false],
    ['**.aws_db_instance.*', 'module.a.aws_db_instance.main', true],
    ['module.env["prod"].**', 'module.env["prod"].module.x.aws_s3_bucket.b[0]', true],
    ['module.env["prod"].**', 'module.env["dev"].aws_s3_bucket.b', false],
    ['module.db[1].*.*', 'module.db[1].aws_db_instance.main', true],
    ['module.db[1].*.*', 'module.db[2].aws_db_instance.main', false],
    ['point_in_time_recovery[0].enabled', 'point_in_time_recovery[0].enabled', true],
    ['prod*', 'production', true],
  ])('%s matches %s: %s', (glob, name, expected) => {
    expect(compileGlobs([glob])(name)).toBe(expected);
  });

  it('matches nothing with no globs', () => {
    expect(compileGlobs([])('anything')).toBe(false);
  });

  it('explains globs it cannot use', () => {
    expect(checkGlob('aws_{db')).toMatch(/invalid glob "aws_\{db"/);
    expect(checkGlob('a(b')).toMatch(/invalid glob/);
    expect(checkGlob('  ')).toMatch(/empty/);
    expect(checkGlob('!aws_*')).toMatch(/negated globs are not supported/);
    expect(checkGlob('module.x["[odd"].*')).toBeUndefined();
  });
});
