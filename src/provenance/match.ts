import type {
  Author,
  AuthorRole,
  CommitFact,
  Evidence,
  EvidenceWhere,
  GitHubUser,
  GitIdentity,
  ProvenanceFacts,
  PullRequestFact,
} from './evidence.js';
import type { CompiledSignal, CompiledSignals } from './signals.js';

export interface Trailer {
  key: string;
  value: string;
  /** 1-based line of the message where the trailer starts. */
  line: number;
  /** The trailer as written (continuation lines joined with a space). */
  text: string;
}

const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/u;
/** Lines git itself writes; a paragraph holding one needs only 25% trailers to count as a trailer block. */
const GIT_GENERATED = /^(?:Signed-off-by: |\(cherry picked from commit )/u;
const NOREPLY = /^(?:\d+\+)?([^@\s]+)@users\.noreply\.github\.com$/iu;
const GITHUB_WEB_COMMITTER = 'noreply@github.com';

/**
 * The trailers of a commit message, read the way `git interpret-trailers` reads them: only the last
 * paragraph, never the subject paragraph, and only when that paragraph is made of `Key: value` lines
 * (continuation lines start with whitespace) — or holds a git-generated line and at least 25% trailers.
 */
export function parseTrailers(message: string): Trailer[] {
  const lines = message.split(/\r?\n/u);
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end -= 1;
  let start = end;
  while (start > 0 && lines[start - 1]!.trim() !== '') start -= 1;
  const firstBlank = lines.findIndex((line) => line.trim() === '');
  if (start === 0 || firstBlank === -1 || start <= firstBlank) return [];

  const trailers: Trailer[] = [];
  let otherLines = 0;
  let gitGenerated = false;
  let lastWasTrailer = false;
  for (let index = start; index < end; index += 1) {
    const line = lines[index]!;
    if (GIT_GENERATED.test(line)) gitGenerated = true;
    const previous = trailers.at(-1);
    if (/^[ \t]/u.test(line) && lastWasTrailer && previous !== undefined) {
      previous.value = `${previous.value} ${line.trim()}`.trim();
      previous.text = `${previous.text} ${line.trim()}`;
      continue;
    }
    const match = TRAILER_LINE.exec(line);
    lastWasTrailer = match !== null;
    if (match) trailers.push({ key: match[1]!, value: match[2]!.trim(), line: index + 1, text: line.trim() });
    else otherLines += 1;
  }
  if (trailers.length === 0) return [];
  if (otherLines === 0 || (gitGenerated && trailers.length * 3 >= otherLines)) return trailers;
  return [];
}

/** The GitHub login a `users.noreply.github.com` address stands for (`123+claude[bot]@…` → `claude[bot]`). */
export function noreplyLogin(email: string): string | undefined {
  return NOREPLY.exec(email.trim())?.[1];
}

/** `Name <email>`, the form author/committer signals are matched against. */
export function identityText(identity: GitIdentity): string {
  return `${identity.name} <${identity.email}>`;
}

/** `Jane Doe <jane@example.com>` → name and e-mail; undefined when the value has no `<…>` address. */
export function parseIdentity(value: string): GitIdentity | undefined {
  const match = /^(.*?)\s*<([^<>]*)>$/u.exec(value.trim());
  return match ? { name: match[1]!.trim(), email: match[2]!.trim() } : undefined;
}

export function matchFacts(facts: ProvenanceFacts, signals: CompiledSignals): Evidence[] {
  const evidence = [
    ...facts.commits.flatMap((commit) => matchCommit(commit, signals)),
    ...(facts.pullRequest ? matchPullRequest(facts.pullRequest, signals) : []),
    ...matchEnvironment(facts.environment, signals),
  ];
  return deduplicate(evidence);
}

export function matchCommit(commit: CommitFact, signals: CompiledSignals): Evidence[] {
  const evidence: Evidence[] = [];
  const at = (line: number): EvidenceWhere => ({ type: 'commit', sha: commit.sha, field: 'message', line });

  for (const trailer of parseTrailers(commit.message)) {
    for (const signal of signals.trailer) {
      const matched = signal.key === undefined ? signal.test(trailer.text) : signal.key === trailer.key.toLowerCase() && signal.test(trailer.value);
      if (matched) evidence.push(found(signal, at(trailer.line), trailer.text));
    }
    if (trailer.key.toLowerCase() === 'co-authored-by') {
      const login = noreplyLogin(parseIdentity(trailer.value)?.email ?? '');
      if (login !== undefined) {
        for (const signal of matching(signals['bot-login'], login)) evidence.push(found(signal, at(trailer.line), trailer.text));
      }
    }
  }

  const lines = commit.message.split(/\r?\n/u);
  lines.forEach((line, index) => {
    const text = line.trim();
    if (text === '') return;
    for (const signal of signals['message-marker']) {
      if (signal.scope === 'subject' && index !== 0) continue;
      if (signal.test(text)) evidence.push(found(signal, at(index + 1), text));
    }
  });

  for (const field of ['author', 'committer'] as const) {
    const identity = commit[field];
    const where: EvidenceWhere = { type: 'commit', sha: commit.sha, field };
    const text = identityText(identity);
    for (const signal of matching(signals[field], text)) evidence.push(found(signal, where, text));
    for (const login of loginsOf(identity)) {
      for (const signal of matching(signals['bot-login'], login)) evidence.push(found(signal, where, text));
    }
  }
  return evidence;
}

export function matchPullRequest(pullRequest: PullRequestFact, signals: CompiledSignals): Evidence[] {
  const evidence: Evidence[] = [];
  const login = pullRequest.author.login;
  for (const signal of matching(signals['bot-login'], login)) evidence.push(found(signal, { type: 'pr-author', login }, login));
  for (const label of pullRequest.labels) {
    for (const signal of matching(signals.label, label)) evidence.push(found(signal, { type: 'label', label }, label));
  }
  const branch = pullRequest.headRef;
  for (const signal of matching(signals['branch-prefix'], branch)) evidence.push(found(signal, { type: 'branch', branch }, branch));
  pullRequest.body.split(/\r?\n/u).forEach((line, index) => {
    const text = line.trim();
    if (text === '') return;
    for (const signal of matching(signals['pr-body-marker'], text)) evidence.push(found(signal, { type: 'pr-body', line: index + 1 }, text));
  });
  return evidence;
}

export function matchEnvironment(environment: Record<string, string>, signals: CompiledSignals): Evidence[] {
  const evidence: Evidence[] = [];
  for (const signal of signals.environment) {
    const value = signal.name === undefined ? undefined : environment[signal.name];
    if (value === undefined || !signal.test(value)) continue;
    const text = `${signal.name}=${value.length > 80 ? `${value.slice(0, 80)}…` : value}`;
    evidence.push(found(signal, { type: 'environment', name: signal.name! }, text));
  }
  return evidence;
}

/**
 * The people behind the change: commit authors and committers who are not agents, human co-authors,
 * the pull request's author when that is a person, and — when an agent's bot opened the pull request —
 * its human assignees, who asked for it (a Copilot coding agent pull request is assigned to Copilot
 * and to the person who asked for it; the event names the requester nowhere else).
 */
export function findAuthors(facts: ProvenanceFacts, signals: CompiledSignals): Author[] {
  const authors: Author[] = [];
  for (const commit of facts.commits) {
    addPerson(authors, commit.author, 'commit-author', signals.author, signals);
    addPerson(authors, commit.committer, 'committer', signals.committer, signals);
    for (const trailer of parseTrailers(commit.message)) {
      if (trailer.key.toLowerCase() !== 'co-authored-by') continue;
      const identity = parseIdentity(trailer.value);
      if (identity === undefined) continue;
      const byTrailerSignal = signals.trailer.some((signal) =>
        signal.key === undefined ? signal.test(trailer.text) : signal.key === 'co-authored-by' && signal.test(trailer.value),
      );
      if (!byTrailerSignal) addPerson(authors, identity, 'co-author', [], signals);
    }
  }
  const pullRequest = facts.pullRequest;
  if (pullRequest) {
    if (!isAgentUser(pullRequest.author, signals)) {
      merge(authors, { login: pullRequest.author.login, roles: ['pr-author'] });
    } else {
      for (const assignee of pullRequest.assignees) {
        if (!isAgentUser(assignee, signals)) merge(authors, { login: assignee.login, roles: ['requester'] });
      }
    }
  }
  return authors;
}

function addPerson(authors: Author[], identity: GitIdentity, role: AuthorRole, identitySignals: CompiledSignal[], signals: CompiledSignals): void {
  const text = identityText(identity);
  const agentBySignal = identitySignals.some((signal) => signal.requesterIdentity !== true && signal.test(text));
  const agentByLogin = loginsOf(identity).some((login) => isAgentLogin(login, signals));
  const webCommitter = identity.email.toLowerCase() === GITHUB_WEB_COMMITTER;
  if (agentBySignal || agentByLogin || webCommitter || identity.name.endsWith('[bot]')) return;
  const person: Author = { roles: [role] };
  if (identity.name !== '') person.name = identity.name;
  if (identity.email !== '') person.email = identity.email;
  const login = identity.login ?? noreplyLogin(identity.email);
  if (login !== undefined) person.login = login;
  merge(authors, person);
}

function isAgentUser(user: GitHubUser, signals: CompiledSignals): boolean {
  return user.type === 'Bot' || isAgentLogin(user.login, signals);
}

function isAgentLogin(login: string, signals: CompiledSignals): boolean {
  return login.toLowerCase().endsWith('[bot]') || signals['bot-login'].some((signal) => signal.test(login));
}

function loginsOf(identity: GitIdentity): string[] {
  const logins = new Set<string>();
  if (identity.login !== undefined) logins.add(identity.login);
  const fromEmail = noreplyLogin(identity.email);
  if (fromEmail !== undefined) logins.add(fromEmail);
  return [...logins];
}

/** One entry per person: same login or same e-mail (both compared case-insensitively). */
function merge(authors: Author[], person: Author): void {
  const same = authors.find(
    (known) =>
      (person.login !== undefined && known.login?.toLowerCase() === person.login.toLowerCase()) ||
      (person.email !== undefined && known.email?.toLowerCase() === person.email.toLowerCase()),
  );
  if (!same) {
    authors.push({ ...person, roles: [...person.roles] });
    return;
  }
  same.name ??= person.name;
  same.email ??= person.email;
  same.login ??= person.login;
  for (const role of person.roles) if (!same.roles.includes(role)) same.roles.push(role);
  if (same.name === undefined) delete same.name;
  if (same.email === undefined) delete same.email;
  if (same.login === undefined) delete same.login;
}

function matching(signals: CompiledSignal[], text: string): CompiledSignal[] {
  return signals.filter((signal) => signal.test(text));
}

function found(signal: CompiledSignal, where: EvidenceWhere, text: string): Evidence {
  return { signal: signal.id, tool: signal.tool, kind: signal.kind, where, text };
}

function deduplicate(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((item) => {
    const key = `${item.signal}\u0000${JSON.stringify(item.where)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
