// The repository explains itself: every citation of a rule, an Atlas fact or a convention points
// into docs/, at a rule, section or heading that exists; nothing points outside the repository;
// and docs/ names only files, functions and tests that exist.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { citationProblems, DOC_NAMES, formatProblems, indexDoc, memberProblems, namingProblems, repoAt, scannedFiles, testTitles, unprovedRules, type DocIndex, type Repo } from './citations.ts';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const repo = repoAt(root);
/** The check's own files quote bad citations on purpose (its messages and the examples below). */
const isChecker = (file: string) => file.startsWith('test/docs/citations.');

describe('citations in the repository', () => {
  it('has every document of docs/', () => {
    for (const name of DOC_NAMES) expect(repo.doc(name), `docs/${name}.md`).not.toBeNull();
  });

  it('numbers the money-safety rules 1 to 14 and keeps §1', () => {
    const doc = repo.doc('money-safety') as DocIndex;
    expect([...doc.rules].sort((a, b) => a - b)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(doc.sections.has('1')).toBe(true);
  });

  it('proves §1 and every rule of docs/money-safety.md with named tests', () => {
    expect(unprovedRules(repo.read('docs/money-safety.md') ?? '')).toEqual([]);
  });

  it('cites only docs/ documents, rules, sections and headings that exist, and nothing outside the repository', () => {
    const files = scannedFiles(root).filter((f) => !isChecker(f));
    expect(files.length).toBeGreaterThan(100);
    const problems = files.flatMap((file) => citationProblems(file, repo.read(file) ?? '', repo));
    expect(formatProblems(problems)).toBe('');
  });

  it('docs/ names only files, functions and tests that exist', () => {
    const pages = scannedFiles(root).filter((f) => f.startsWith('docs/') && f.endsWith('.md'));
    const problems = pages.flatMap((file) => [...namingProblems(file, repo.read(file) ?? '', repo), ...memberProblems(file, repo.read(file) ?? '', repo)]);
    expect(formatProblems(problems)).toBe('');
  });
});

// The checks themselves, on made-up text: each must catch what it is there for.
const fakeDocs: Record<string, string> = {
  'money-safety': '# Money\n## §1 An unpaid order\n## Rule 1 — No blind re-send\n## Rule 2 — Unknown is not failed\n',
  'atlas-api': '# Atlas\n## §1 Transport\n### §1.1 Hosts\n### §1.3 Answers\n## §2 Codes\n### §2.1 General\n### §2.4 Query\n| 0 | success |\n## §10 Open\n| 10.3 | declines |\n',
  conventions: '# Conventions\n### A migration\n### The result envelope\n',
  architecture: '# Architecture\n## Test tiers\n',
};
const fakeFiles: Record<string, string> = {
  'shared/ipc.ts': 'export const channels = {};\nexport function splitChannel() {}\n',
  'test/core/x.test.ts': [
    "describe('the queue', () => {",
    "  it('pays once', () => {});",
    '  it("keeps the card\'s mask", () => {});',
    "  it('doesn\\'t pay twice', () => {});",
    '  it(`SIGKILL mid-work (≥ ${KILLS} kills): paid once`, () => {});',
    "  it.each([\n    ['a'],\n  ])('refuses %s at once', () => {});",
    "  const note = 'not a test';",
    '});',
  ].join('\n'),
  'electron/core/queue.ts': 'class RetryQueue { #pick() {} enqueueDeposit() {} }\n',
};
const fake: Repo = {
  root: '/repo',
  exists: (path) => path in fakeFiles || ['shared', 'electron', 'electron/core'].includes(path),
  read: (path) => fakeFiles[path] ?? null,
  doc: (name) => (fakeDocs[name] === undefined ? null : indexDoc(fakeDocs[name] as string)),
};
const cite = (text: string, file = 'electron/core/x.ts') => citationProblems(file, text, fake).map((p) => p.message);
const name = (text: string) => namingProblems('docs/x.md', text, fake).map((p) => p.message);

describe('the citation check', () => {
  it('accepts citations of rules, sections, ranges, headings and anchors that exist', () => {
    expect(cite('// docs/money-safety.md rule 1, docs/money-safety.md rules 1 and 2, docs/money-safety.md §1')).toEqual([]);
    expect(cite('// docs/atlas-api.md §1.1, docs/atlas-api.md §2.1–2.4 and docs/atlas-api.md §1.3, §2')).toEqual([]);
    expect(cite('// docs/atlas-api.md §10.3 (a numbered row of §10)')).toEqual([]);
    expect(cite('// docs/conventions.md, "a migration"; docs/architecture.md "Test tiers"; docs/architecture.md')).toEqual([]);
    expect(cite('[rule 2](docs/money-safety.md#rule-2--unknown-is-not-failed)', 'README.md')).toEqual([]);
    expect(cite("import { channels } from '../../shared/ipc.ts';", 'electron/core/x.ts')).toEqual([]);
  });

  it('fails on a rule, section, heading, anchor or document that does not exist', () => {
    expect(cite('// docs/money-safety.md rule 15')).toEqual(['cites docs/money-safety.md rule 15, which has no "## Rule 15" heading']);
    expect(cite('// docs/money-safety.md rules 1 and 9')).toHaveLength(1);
    expect(cite('// docs/atlas-api.md §4.1')).toEqual(['cites docs/atlas-api.md §4.1, which has no "§4.1" heading']);
    expect(cite('// docs/atlas-api.md §2.1–2.3')).toEqual(['cites docs/atlas-api.md §2.3, which has no "§2.3" heading']);
    expect(cite('// docs/atlas-api.md §0')).toEqual(['cites docs/atlas-api.md §0, which has no "§0" heading']);
    expect(cite('// docs/conventions.md "a channel"')).toEqual(['cites docs/conventions.md "a channel", which is not a heading there']);
    expect(cite('see docs/money-safety.md#rule-9', 'README.md')).toHaveLength(1);
    expect(cite('// docs/design.md')).toEqual(['cites docs/design.md, which does not exist']);
  });

  it('fails on every old-style citation', () => {
    const design = ['DESIGN', 'md'].join('.');
    expect(cite(`// (${design} §2.6)`)).toHaveLength(1);
    expect(cite('/** DESIGN rule 11: Atlas decides. */')).toHaveLength(1);
    expect(cite('// atlas-api.md §3.1')).toEqual(['cites atlas-api.md without docs/: write docs/atlas-api.md']);
    // The team's shelf outside the repository, spelt in parts so that this file does not name it.
    const shelf = ['..', 'shared'].join('/');
    expect(cite(`// see ../${shelf}/atlas-api.md for the wire format`, 'shared/atlas.ts')).toHaveLength(2);
    expect(cite(`rules in \`${shelf}/money-rules.md\``, 'README.md')).toEqual([`points at ${shelf}/money-rules.md, which is not in this repository`]);
    expect(cite(`the reference shelf in ${['', 'work', 'shared', ''].join('/')}`, 'README.md')).toHaveLength(1);
    expect(cite('// unsupported upstream, see references/ecosystem.md for why')).toHaveLength(1);
  });

  it('fails on a section (§) that does not say whose it is', () => {
    expect(cite('// the CLI configuration (issue §5)')).toEqual(['cites a section (§…) without naming its document: write docs/atlas-api.md §N.M or docs/money-safety.md §1']);
    expect(cite('/** Sandbox triggers of §5. */')).toHaveLength(1);
    expect(cite('// docs/atlas-api.md §1.3, then §2')).toEqual([]);
    expect(cite('// Atlas calls 411 uncertain (docs/atlas-api.md\n// §2.2): settled by query')).toEqual([]);
    expect(cite('see §2.1 of this page', 'docs/atlas-api.md')).toEqual([]);
  });

  it('finds a rule without a proof', () => {
    const proof = 'Proved by:\n\n- `test/core/x.test.ts` — "pays once"\n';
    expect(unprovedRules(`# M\n## §1 Unpaid\n${proof}## Rule 1 — A\n${proof}## Open risks\n`)).toEqual([]);
    expect(unprovedRules(`# M\n## §1 Unpaid\n${proof}## Rule 9 — B\n<!-- later -->\n## Rule 10 — C\nProved by:\n\n- \`test/core/x.test.ts\`\n`)).toEqual(['Rule 9 — B', 'Rule 10 — C']);
  });

  it('fails when docs/ names a file, a function or a test that does not exist', () => {
    expect(name('`shared/ipc.ts` `channels`, `electron/core/queue.ts` `RetryQueue.enqueueDeposit` → `#pick`')).toEqual([]);
    expect(name('`test/core/x.test.ts` — "pays once"; "keeps the card\'s mask"')).toEqual([]);
    expect(name('`shared/nothing.ts`')).toEqual(['names `shared/nothing.ts`, which does not exist']);
    expect(name('`shared/ipc.ts` `channel`')).toEqual(['names `channel` in `shared/ipc.ts`, which has no `channel`']);
    expect(name('`electron/core/queue.ts` `RetryQueue.#prepay`')).toEqual(['names `RetryQueue.#prepay` in `electron/core/queue.ts`, which has no `#prepay`']);
    expect(name('`test/core/x.test.ts` "pays twice"')).toEqual(['names the test "pays twice" in `test/core/x.test.ts`, which has no such test']);
    expect(name('`test/core/x.test.ts` — "the queue"; “doesn\'t pay twice”; "SIGKILL mid-work (≥ 200 kills): paid once"; "refuses a at once"')).toEqual([]);
    expect(name('`test/core/x.test.ts` "not a test"')).toEqual(['names the test "not a test" in `test/core/x.test.ts`, which has no such test']);
    expect(testTitles(fakeFiles['test/core/x.test.ts'] as string)).toEqual(['the queue', 'pays once', "keeps the card's mask", "doesn't pay twice", 'SIGKILL mid-work (≥ \0 kills): paid once', 'refuses %s at once']);
    const members = (text: string) => memberProblems('docs/x.md', text, fake).map((p) => p.message);
    expect(members('## Queue\n`electron/core/queue.ts` picks with `#pick`,\n\nthen `RetryQueue.enqueueDeposit`.\n## IPC\n`splitChannel()` in `shared/ipc.ts`')).toEqual([]);
    expect(members('## Queue\n`electron/core/queue.ts` runs `#prepay`.\n## IPC\n`shared/ipc.ts` `RetryQueue.enqueueDeposit`')).toEqual([
      'names `#prepay`, but no file named in its section has `#prepay`',
      'names `RetryQueue.enqueueDeposit`, but no file named in its section has `RetryQueue`',
      'names `RetryQueue.enqueueDeposit`, but no file named in its section has `enqueueDeposit`',
    ]);
  });
});
