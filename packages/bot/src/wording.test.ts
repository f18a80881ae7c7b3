import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** A Han character: what makes a literal wording (punctuation such as 、 or （ alone is not a word). */
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

const PACKAGES = join(__dirname, '..', '..');

/**
 * Where Chinese may stay in code. The parser's grammar reads what people type (command words, synonyms,
 * dates) and writes the exact command it suggests; it says nothing else. Everything else the bot and its
 * adapters say comes from templates/texts.json and the templates.
 */
const PARSER_GRAMMAR = new Set(['commands/deadline.ts', 'commands/grammar.ts', 'commands/links.ts', 'commands/natural.ts', 'commands/numbers.ts', 'commands/parse.ts', 'commands/prepare.ts', 'commands/refs.ts', 'commands/suggest.ts'].map((f) => `bot/src/${f}`));

/** Single literals outside the parser, each with why it is not the bot's wording. */
const ALLOWED: ReadonlyArray<readonly [file: string, literal: string, why: string]> = [
  ['dingtalk/src/format.ts', '消息', 'the markdown title of a message that has neither title nor text (never one of the engine’s)'],
  ['dingtalk/src/transport/card.ts', '/outTrackId[._ ]?(duplicate|exist)|重复|已存在/iu', 'reads DingTalk’s error message'],
  ['dingtalk/src/card-callback.ts', ": the button has no command param (the template's 回传参数 must set command)", 'a developer error naming the console’s field'],
  ['dingtalk/src/testing/fake-dingtalk.ts', '郭道镇工作群', 'a test fixture’s incoming message'],
  ['dingtalk/src/testing/fake-dingtalk.ts', ' 确认 4', 'a test fixture’s incoming message'],
  ['dingtalk/src/testing/fake-dingtalk.ts', '张三', 'a test fixture’s incoming message'],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every string, template and regular-expression literal of a TypeScript source that holds a Han character (comments are not literals). */
export function hanLiterals(file: string, text: string): Array<{ line: number; literal: string }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Array<{ line: number; literal: string }> = [];
  const visit = (node: ts.Node): void => {
    let literal: string | undefined;
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) literal = node.text;
    else if (ts.isRegularExpressionLiteral(node)) literal = node.text;
    else if (ts.isJsxText(node)) literal = node.text;
    if (literal !== undefined && HAN.test(literal)) found.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, literal });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Han literals of the bot's and the adapters' sources that are neither parser grammar nor allowed, as `file:line literal`. */
function strayWording(): string[] {
  const stray: string[] = [];
  for (const pkg of ['bot', 'chat-contract', 'dingtalk', 'slack']) {
    for (const path of sources(join(PACKAGES, pkg, 'src'))) {
      const file = relative(PACKAGES, path).split('\\').join('/');
      if (PARSER_GRAMMAR.has(file)) continue;
      for (const { line, literal } of hanLiterals(file, readFileSync(path, 'utf8'))) {
        if (ALLOWED.some(([f, l]) => f === file && l === literal)) continue;
        stray.push(`${file}:${line} ${JSON.stringify(literal)}`);
      }
    }
  }
  return stray;
}

describe('wording in code', () => {
  it('finds Han literals in strings, templates and regular expressions but not in comments', () => {
    const text = ["// 注释不算", "const a = '已豁免';", 'const b = `逾期 ${n} 天`;', 'const c = /入选/u;', "const d = '、';", 'const e = `${x}（${y}）`;'].join('\n');
    expect(hanLiterals('x.ts', text).map((f) => f.literal)).toEqual(['已豁免', '逾期 ', ' 天', '/入选/u']);
  });

  it('leaves every user-facing word of the bot and its adapters to the catalogue and the templates', () => {
    // A new Chinese literal belongs in templates/texts.json (ctx.t / texts) or a template; see docs/bot.md.
    expect(strayWording()).toEqual([]);
  }, 60_000);

  it('keeps its allow-list short and current: each entry still matches a literal', () => {
    expect(ALLOWED.length).toBeLessThanOrEqual(8);
    for (const [file, literal] of ALLOWED) {
      const found = hanLiterals(file, readFileSync(join(PACKAGES, file), 'utf8')).map((f) => f.literal);
      expect(found, file).toContain(literal);
    }
    for (const file of PARSER_GRAMMAR) expect(statSync(join(PACKAGES, file)).isFile(), file).toBe(true);
  }, 60_000);
});
