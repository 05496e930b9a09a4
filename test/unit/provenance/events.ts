import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A pull_request event payload in GitHub's shape (the fields tfguard reads, and some it does not). */
export function pullRequestEvent(overrides: {
  number?: number;
  author?: { login: string; type: string };
  assignees?: { login: string; type: string }[];
  labels?: string[];
  headRef?: string;
  headSha?: string;
  baseSha?: string;
  body?: string | null;
  repository?: string;
} = {}): object {
  const repository = overrides.repository ?? 'acme/infra';
  const author = overrides.author ?? { login: 'janedoe', type: 'User' };
  const repo = { id: 1, name: repository.split('/')[1], full_name: repository, private: false, owner: { login: repository.split('/')[0], type: 'Organization' } };
  return {
    action: 'opened',
    number: overrides.number ?? 7,
    pull_request: {
      url: `https://api.github.com/repos/${repository}/pulls/${overrides.number ?? 7}`,
      number: overrides.number ?? 7,
      state: 'open',
      draft: false,
      title: 'Add the state bucket',
      body: overrides.body === undefined ? 'Adds the bucket.' : overrides.body,
      user: { ...author, id: 42, site_admin: false },
      labels: (overrides.labels ?? []).map((name, index) => ({ id: index + 1, name, color: 'ededed', default: false })),
      assignees: (overrides.assignees ?? []).map((user, index) => ({ ...user, id: 100 + index })),
      requested_reviewers: [],
      author_association: 'MEMBER',
      head: { label: `acme:${overrides.headRef ?? 'feature/storage'}`, ref: overrides.headRef ?? 'feature/storage', sha: overrides.headSha ?? 'c'.repeat(40), repo },
      base: { label: 'acme:main', ref: 'main', sha: overrides.baseSha ?? 'd'.repeat(40), repo },
      commits: 3,
    },
    repository: repo,
    sender: { login: author.login, type: author.type },
  };
}

export function writeEvent(dir: string, payload: unknown, name = 'event.json'): string {
  const path = join(dir, name);
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return path;
}
