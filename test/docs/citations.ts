// The checks behind test/docs/citations.test.ts: the repository must explain itself, so every
// citation of a document points into docs/ and names a rule, section or heading that exists, and
// docs/ names only files, functions and tests that exist. Pure functions over text; the test feeds
// them the repository's files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** What a document in docs/ offers to cite. */
export interface DocIndex {
  /** `§N.M` headings, and numbered table rows (`| 10.3 | …`: the open questions of docs/atlas-api.md §10). */
  sections: Set<string>;
  /** `Rule N` headings. */
  rules: Set<number>;
  /** Heading texts, lower-cased, without markdown backticks. */
  headings: Set<string>;
  /** GitHub-style anchors of the headings. */
  anchors: Set<string>;
}

/** A document's own names of the repository: what a file holds, read lazily. */
export interface Repo {
  root: string;
  /** Repository-relative path → exists (file or folder). */
  exists(path: string): boolean;
  /** Repository-relative path of a file → its text, or null when it is not a readable file. */
  read(path: string): string | null;
  /** docs/<name>.md → its index, or null when the document does not exist. */
  doc(name: string): DocIndex | null;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

function plainHeading(text: string): string {
  return text.replace(/`/g, '').trim();
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return plainHeading(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

export function indexDoc(markdown: string): DocIndex {
  const index: DocIndex = { sections: new Set(), rules: new Set(), headings: new Set(), anchors: new Set() };
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const row = fenced ? null : /^\|\s*§?(\d+(?:\.\d+)+)\s*\|/.exec(line);
    if (row) index.sections.add(row[1] as string);
    const m = fenced ? null : HEADING.exec(line);
    if (!m) continue;
    const text = plainHeading(m[2] as string);
    index.headings.add(text.toLowerCase());
    index.anchors.add(anchorOf(text));
    const section = /^§(\d+(?:\.\d+)*)(?=\s|$)/.exec(text);
    if (section) index.sections.add(section[1] as string);
    const rule = /^Rule (\d+)(?=\s|$)/.exec(text);
    if (rule) index.rules.add(Number(rule[1]));
  }
  return index;
}

/** The documents of docs/ by name (without `.md`). */
export const DOC_NAMES = ['money-safety', 'atlas-api', 'architecture', 'conventions'] as const;

const OLD_DESIGN = /DESIGN(?:\.md|\s+§|\s+rules?\s+\d)/;
/** Where the team's machines keep their work: a path there is on one machine, not in the repository. */
const MACHINE_PATH = ['', 'work', ''].join('/');
/** A docs/ document named without its folder: `atlas-api.md §3.1` instead of `docs/atlas-api.md §3.1`. */
const BARE_DOC = new RegExp(`(?<![\\w/.-])(?:\\.{1,2}/)*(?:shared/)?(${DOC_NAMES.join('|')})\\.md`, 'g');
/** A relative path into a folder named shared/: the repository's own, or the team shelf outside it. */
const UP_SHARED = /((?:\.\.\/)+)shared\/([\w./-]*)/g;
const CITATION = /docs\/([a-z0-9-]+)\.md(#[\w-]+)?/g;
/** The team's research shelf, which is not in the repository either. */
const REFERENCES = /(?<![\w/.-])references\/[\w.-]+\.md/;
const RULES = /^`?,?\s+rules?\s+(\d+(?:\s*(?:,|and|or|&|\/|–|-)\s*\d+)*)/;
const SECTIONS = /^`?,?\s+(§\d+(?:\.\d+)*(?:\s*(?:–|-|,|and|\/)\s*§?\d+(?:\.\d+)*)*)/;
const HEADING_CITE = /^`?,?\s+(?:"([^"]+)"|“([^”]+)”)/;

/**
 * Citations in one file's text: old-style ones (the design notes, a doc without docs/, a relative
 * path that leaves the repository), and docs/ citations whose document, rule, section, heading or
 * anchor does not exist.
 */
export function citationProblems(file: string, text: string, repo: Repo): Problem[] {
  const problems: Problem[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const at = (message: string) => problems.push({ file, line: i + 1, message });
    const reported = problems.length;
    if (OLD_DESIGN.test(line)) at('cites the design notes (DESIGN.md), which are not in this repository: cite docs/money-safety.md, docs/architecture.md or docs/conventions.md');
    if (line.includes(MACHINE_PATH)) at('names a path on one machine: cite the repository\'s own docs/');
    if (REFERENCES.test(line)) at('cites the research notes (references/…), which are not in this repository: cite docs/ or the source itself');
    for (const m of line.matchAll(BARE_DOC)) {
      const before = line.slice(0, m.index);
      if (/docs\/$/.test(before)) continue;
      at(`cites ${m[0]} without docs/: write docs/${m[1]}.md`);
    }
    for (const m of line.matchAll(UP_SHARED)) {
      const target = resolve(repo.root, dirname(file), `${m[1]}shared/${m[2]}`);
      const inside = target === repo.root || target.startsWith(repo.root + sep);
      if (!inside || !repo.exists(relative(repo.root, target))) at(`points at ${m[0]}, which is not in this repository`);
    }
    for (const m of line.matchAll(CITATION)) {
      const name = m[1] as string;
      const doc = repo.doc(name);
      if (!doc) {
        at(`cites docs/${name}.md, which does not exist`);
        continue;
      }
      if (m[2] && !doc.anchors.has(m[2].slice(1))) at(`cites docs/${name}.md${m[2]}: no heading has that anchor`);
      const rest = line.slice((m.index ?? 0) + m[0].length);
      const rules = RULES.exec(rest);
      if (rules) {
        for (const n of (rules[1] as string).match(/\d+/g) ?? []) {
          if (!doc.rules.has(Number(n))) at(`cites docs/${name}.md rule ${n}, which has no "## Rule ${n}" heading`);
        }
        continue;
      }
      const sections = SECTIONS.exec(rest);
      if (sections) {
        for (const s of (sections[1] as string).match(/\d+(?:\.\d+)*/g) ?? []) {
          if (!doc.sections.has(s)) at(`cites docs/${name}.md §${s}, which has no "§${s}" heading`);
        }
        continue;
      }
      const heading = HEADING_CITE.exec(rest);
      if (heading) {
        const title = (heading[1] ?? heading[2] ?? '').trim();
        if (!doc.headings.has(title.toLowerCase())) at(`cites docs/${name}.md "${title}", which is not a heading there`);
      }
    }
    // docs/ pages number their own sections; elsewhere a § must say whose section it is (a line
    // already reported for an old-style citation is not reported twice).
    const section = line.indexOf('§');
    if (section >= 0 && problems.length === reported && !file.startsWith('docs/') && !/docs\/[a-z0-9-]+\.md/.test(`${lines[i - 1] ?? ''}\n${line.slice(0, section)}`)) {
      at('cites a section (§…) without naming its document: write docs/atlas-api.md §N.M or docs/money-safety.md §1');
    }
  });
  return problems;
}

/** Backticked repository paths in a docs/ page. */
const PATH_TOKEN = /`((?:electron|shared|renderer|test|bench|scripts|docs|build|\.ci)\/[\w./@-]*|[\w.-]+\.(?:json|js|ts|yml|md))`/g;
const IDENT_AFTER = /^\s*`(#?[A-Za-z_$][\w$]*(?:\.#?[A-Za-z_$][\w$]*)*)(?:\(\))?`/;
/** Test names are quoted "…", or “…” when the name itself holds straight quotes. */
const TEST_NAMES_AFTER = /^[\s:—–,;-]*(?:"([^"]+)"|“([^”]+)”)/;

/** Where a test's title starts: `it(`, `test.skip(`, `describe(`, or the `)(` of `it.each([…])(`. */
const TITLE_START = /(?:\b(?:it|test|describe)(?:\.[A-Za-z]+)*|\))\(\s*(?=['"`])/g;

/** The string literal starting at `from` (a quote), unescaped; `${…}` of a template becomes `\0`. */
function literalAt(source: string, from: number): string | null {
  const quote = source[from];
  let out = '';
  for (let i = from + 1; i < source.length; i++) {
    const c = source[i] as string;
    if (c === quote) return out;
    if (c === '\\') {
      out += source[++i] ?? '';
    } else if (quote === '`' && c === '$' && source[i + 1] === '{') {
      let depth = 0;
      for (i += 1; i < source.length; i++) {
        if (source[i] === '{') depth++;
        else if (source[i] === '}' && --depth === 0) break;
      }
      out += '\0';
    } else if (c === '\n' && quote !== '`') {
      return null;
    } else {
      out += c;
    }
  }
  return null;
}

/** The titles of a test file's tests and describe blocks, as they are written. */
export function testTitles(source: string): string[] {
  const titles: string[] = [];
  for (const m of source.matchAll(TITLE_START)) {
    const title = literalAt(source, (m.index ?? 0) + m[0].length);
    if (title !== null) titles.push(title);
  }
  return titles;
}

/**
 * A name in docs/ names a test when it is a title as written, or an instance of a title whose
 * `${…}` (template) or `%s` / `$field` (`it.each`) parts stand for any text.
 */
function namesTest(titles: string[], name: string): boolean {
  return titles.some((title) => {
    if (title === name) return true;
    const parts = title.split(/\0|%[sdifjo#]|\$[A-Za-z_][\w.]*/);
    if (parts.length === 1) return false;
    const pattern = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+');
    return new RegExp(`^${pattern}$`, 's').test(name);
  });
}

function namedIn(source: string, part: string): boolean {
  const escaped = part.replace(/[$#]/g, (c) => `\\${c}`);
  return new RegExp(`(?<![\\w$#])${escaped}(?![\\w$])`).test(source);
}

/**
 * What a docs/ page names must exist: a backticked path (file or folder); the identifiers written
 * right after a file's path (`shared/planner.ts` `planRecovery`: each dotted part appears in the
 * file); the test names quoted after a test file's path ("…": the title of a test or describe
 * block in that file, not merely a string somewhere in it).
 */
export function namingProblems(file: string, text: string, repo: Repo): Problem[] {
  const problems: Problem[] = [];
  let fenced = false;
  text.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const at = (message: string) => problems.push({ file, line: i + 1, message });
    for (const m of line.matchAll(PATH_TOKEN)) {
      const path = (m[1] as string).replace(/\/$/, '');
      if (!path.includes('/') && !repo.exists(path)) {
        // A bare file name (`schema.md`, `en.json`) is only checked when written as a root file.
        continue;
      }
      if (!repo.exists(path)) {
        at(`names \`${m[1]}\`, which does not exist`);
        continue;
      }
      const source = repo.read(path);
      if (source === null || fenced) continue;
      let rest = line.slice((m.index ?? 0) + m[0].length);
      for (let id = IDENT_AFTER.exec(rest); id; id = IDENT_AFTER.exec(rest)) {
        for (const part of (id[1] as string).split('.')) {
          if (!namedIn(source, part)) at(`names \`${id[1]}\` in \`${path}\`, which has no \`${part}\``);
        }
        rest = rest.slice(id[0].length);
      }
      if (!/\.test\.tsx?$/.test(path)) continue;
      rest = line.slice((m.index ?? 0) + m[0].length);
      for (let t = TEST_NAMES_AFTER.exec(rest); t; t = TEST_NAMES_AFTER.exec(rest)) {
        const name = (t[1] ?? t[2]) as string;
        if (!namesTest(testTitles(source), name)) at(`names the test "${name}" in \`${path}\`, which has no such test`);
        rest = rest.slice(t[0].length);
      }
    }
  });
  return problems;
}

/** A test file and the test names quoted after it: "- `test/x.test.ts` — "…"". */
const PROOF_LINE = /^\s*-\s+`test\/[\w./-]+\.test\.tsx?`\s*[—–-]\s*(?:"[^"]+"|“[^”]+”)/;

/**
 * The headings of docs/money-safety.md (`§1` and every `Rule N`) whose section has no "Proved by:"
 * list naming at least one test file and test: a rule without a proof is a wish.
 */
export function unprovedRules(markdown: string): string[] {
  const unproved: string[] = [];
  let heading: string | null = null;
  let proved = false;
  let proofs = 0;
  const close = () => {
    if (heading !== null && !(proved && proofs > 0)) unproved.push(heading);
  };
  for (const line of markdown.split('\n')) {
    const m = /^##\s+(.+)$/.exec(line);
    if (m) {
      close();
      const text = plainHeading(m[1] as string);
      heading = /^(?:§1|Rule \d+)(?=\s|$)/.test(text) ? text : null;
      proved = false;
      proofs = 0;
    } else if (heading !== null) {
      if (/^Proved by:?\s*$/.test(line.trim())) proved = true;
      else if (proved && PROOF_LINE.test(line)) proofs++;
    }
  }
  close();
  return unproved;
}

/** A member written alone: `#prepay`, `RetryQueue.enqueueDeposit`, `connectDesk()`. */
const MEMBER = /`(#[A-Za-z_$][\w$]*|[A-Z][\w$]*(?:\.#?[A-Za-z_$][\w$]*)+|[A-Za-z_$][\w$]*\(\))`/g;

/**
 * Members named in a section of a docs/ page (heading to heading) exist in a file that section
 * names (or, when it names none, in a file the page names): a renamed method cannot linger in the
 * prose.
 */
export function memberProblems(file: string, text: string, repo: Repo): Problem[] {
  const problems: Problem[] = [];
  const lines = text.split('\n');
  const filesIn = (from: number, to: number) =>
    lines
      .slice(from, to)
      .flatMap((l) => [...l.matchAll(PATH_TOKEN)].map((m) => (m[1] as string).replace(/\/$/, '')))
      .filter((p) => p.includes('/') && repo.read(p) !== null);
  const everywhere = filesIn(0, lines.length);
  let start = 0;
  let fenced = false;
  for (let i = 0; i <= lines.length; i++) {
    const line = lines[i];
    if (line !== undefined && /^\s*```/.test(line)) fenced = !fenced;
    if (line !== undefined && (fenced || !HEADING.test(line))) continue;
    const named = filesIn(start, i);
    const sources = (named.length > 0 ? named : everywhere).map((p) => repo.read(p) ?? '');
    for (let j = start; j < i; j++) {
      for (const m of (lines[j] as string).matchAll(MEMBER)) {
        if (/\.(md|ts|tsx|js|json|yml)$/.test(m[1] as string)) continue;
        for (const part of (m[1] as string).replace(/\(\)$/, '').split('.')) {
          if (!sources.some((source) => namedIn(source, part))) {
            problems.push({ file, line: j + 1, message: `names \`${m[1]}\`, but no file named in its section has \`${part}\`` });
          }
        }
      }
    }
    start = i + 1;
  }
  return problems;
}

/** Folders and root files whose text may cite documents. */
const SCANNED_DIRS = ['electron', 'shared', 'renderer', 'test', 'bench', 'scripts', 'docs', 'build', '.ci'];
const SKIPPED = new Set(['node_modules', 'dist', 'dist-electron', 'release', 'artifacts', 'coverage']);
const TEXT_FILE = /\.(ts|tsx|js|cjs|mjs|md|yml|yaml|html|css)$|^run$/;

/** Every text file that may cite a document, repository-relative, with `/` separators. */
export function scannedFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (dir !== '' || SCANNED_DIRS.includes(entry.name)) walk(path);
      } else if (TEXT_FILE.test(entry.name)) {
        out.push(path);
      }
    }
  };
  walk('');
  return out.sort();
}

export function repoAt(root: string): Repo {
  const docs = new Map<string, DocIndex | null>();
  const texts = new Map<string, string | null>();
  const exists = (path: string) => existsSync(join(root, path));
  const read = (path: string): string | null => {
    if (!texts.has(path)) {
      const full = join(root, path);
      texts.set(path, existsSync(full) && statSync(full).isFile() ? readFileSync(full, 'utf8') : null);
    }
    return texts.get(path) ?? null;
  };
  return {
    root,
    exists,
    read,
    doc(name) {
      if (!docs.has(name)) {
        const text = read(`docs/${name}.md`);
        docs.set(name, text === null ? null : indexDoc(text));
      }
      return docs.get(name) ?? null;
    },
  };
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');
}
