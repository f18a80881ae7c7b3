import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBytes, planMessage, sendMessageLink, splitMarkdown, toOpenApiMessage, toWebhookBody } from './format.js';

const FOOTER = /\n\n（(\d+)\/(\d+)）$/u;

function stripFooter(part: string): string {
  return part.replace(FOOTER, '');
}

describe('splitMarkdown', () => {
  it('returns a text that fits unchanged', () => {
    expect(splitMarkdown('### 标题\n\n- 一\n- 二', 1000)).toEqual(['### 标题\n\n- 一\n- 二']);
  });

  it('splits at line boundaries into numbered parts under the limit, in order', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `- 任务${i + 1}：按时公开“重点领域”信息`);
    const parts = splitMarkdown(lines.join('\n'), 1500);
    expect(parts.length).toBeGreaterThan(2);
    parts.forEach((p, i) => {
      expect(jsonBytes(p)).toBeLessThanOrEqual(1500);
      expect(p.match(FOOTER)?.slice(1)).toEqual([String(i + 1), String(parts.length)]);
    });
    expect(parts.flatMap((p) => stripFooter(p).split('\n'))).toEqual(lines);
  });

  it('prefers a paragraph break in the second half of a part', () => {
    const para = (n: number) => Array.from({ length: 6 }, (_, i) => `第${n}段 第${i + 1}行 ${'字'.repeat(20)}`).join('\n');
    const text = [para(1), para(2), para(3)].join('\n\n');
    const parts = splitMarkdown(text, jsonBytes(`${para(1)}\n\n${para(2)}`) + 60);
    expect(stripFooter(parts[0] as string)).toBe(`${para(1)}\n\n${para(2)}`);
    expect(stripFooter(parts[1] as string)).toBe(para(3));
  });

  it('counts JSON escapes (quotes, newlines) against the limit', () => {
    const lines = Array.from({ length: 100 }, () => '"引号" \\ 反斜杠');
    for (const p of splitMarkdown(lines.join('\n'), 800)) expect(Buffer.byteLength(JSON.stringify(p)) - 2).toBeLessThanOrEqual(800);
  });

  it('cuts only a single line longer than a whole part, at character boundaries', () => {
    const long = '😀'.repeat(400);
    const parts = splitMarkdown(`开头\n${long}\n结尾`, 600);
    const joined = parts.map(stripFooter).join('');
    expect(joined.replace(/\n/gu, '')).toBe(`开头${long}结尾`);
    for (const p of parts) expect(p).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/u);
  });

  it('keeps every line whole and in order for any text (property)', () => {
    const line = fc.string({ unit: fc.constantFrom('a', '任', '务', ' ', '*', '"', '😀'), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 80 }), fc.integer({ min: 300, max: 2000 }), (lines, max) => {
        const text = lines.join('\n');
        const parts = splitMarkdown(text, max);
        for (const p of parts) expect(jsonBytes(p)).toBeLessThanOrEqual(max);
        if (parts.length === 1) {
          expect(parts[0]).toBe(text);
          return;
        }
        const kept = parts.flatMap((p) => stripFooter(p).split('\n'));
        const nonBlank = (ls: string[]) => ls.filter((l) => l.trim() !== '');
        expect(nonBlank(kept)).toEqual(nonBlank(lines));
      }),
    );
  });
});

describe('planMessage', () => {
  const mentions = [
    { id: '0123', name: '李四' },
    { id: '0456', name: '王五' },
  ];

  it('@-mentions through atUserIds on a webhook, adding @staffId to the text when missing', () => {
    const [part] = planMessage({ title: '周提醒', text: '请 @0123 处理' }, { channel: 'webhook', mentions, maxBytes: 14_000 });
    expect(part?.text).toBe('请 @0123 处理\n\n@0456');
    expect(part?.atUserIds).toEqual(['0123', '0456']);
    expect(toWebhookBody(part!)).toEqual({ msgtype: 'markdown', markdown: { title: '周提醒', text: '请 @0123 处理\n\n@0456' }, at: { atUserIds: ['0123', '0456'], isAtAll: false } });
  });

  it('names mentioned people through the OpenAPI, which cannot @-mention', () => {
    const [part] = planMessage({ title: '周提醒', text: '联络员：@0123 @0456' }, { channel: 'openapi', mentions, maxBytes: 14_000 });
    expect(toOpenApiMessage(part!)).toEqual({ msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: '周提醒', text: '联络员：@李四 @王五' }) });
  });

  it('mentions only on the part that names people when split', () => {
    const text = `${Array.from({ length: 80 }, (_, i) => `- 第${i}行`).join('\n')}\n\n@0123`;
    const parts = planMessage({ title: '周提醒', text }, { channel: 'webhook', mentions: [mentions[0]!], maxBytes: 1_000 });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.atUserIds)).toEqual([...parts.slice(1).map(() => []), ['0123']]);
    expect(parts.map((p) => p.title)).toEqual(parts.map((_, i) => `周提醒（${i + 1}/${parts.length}）`));
    for (const p of parts) expect(Buffer.byteLength(toOpenApiMessage(p).msgParam)).toBeLessThanOrEqual(1_000);
  });

  it('makes an ActionCard of a markdown message with buttons, on the last part only', () => {
    const buttons = [{ title: '确认完成', url: sendMessageLink('确认 4') }];
    const [card] = planMessage({ title: '任务4', text: '请确认', buttons }, { channel: 'openapi', maxBytes: 14_000 });
    expect(toOpenApiMessage(card!)).toEqual({
      msgKey: 'sampleActionCard',
      msgParam: JSON.stringify({ title: '任务4', text: '请确认', singleTitle: '确认完成', singleURL: 'dtmd://dingtalkclient/sendMessage?content=%E7%A1%AE%E8%AE%A4%204' }),
    });
    const [two] = planMessage({ title: 't', text: 'x', buttons: [buttons[0]!, { title: '报告', url: 'https://example.gov.cn/r' }] }, { channel: 'openapi', maxBytes: 14_000 });
    const m = toOpenApiMessage(two!);
    expect(m.msgKey).toBe('sampleActionCard2');
    expect(JSON.parse(m.msgParam)).toMatchObject({ actionTitle1: '确认完成', actionTitle2: '报告', actionURL2: 'https://example.gov.cn/r' });
    expect(toWebhookBody(two!)).toMatchObject({ msgtype: 'actionCard', actionCard: { btns: [{ title: '确认完成' }, { title: '报告', actionURL: 'https://example.gov.cn/r' }] } });
  });

  it('sends text-format messages as text', () => {
    const [t] = planMessage({ format: 'text', title: 't', text: '纯文本' }, { channel: 'openapi', maxBytes: 14_000 });
    expect(toOpenApiMessage(t!)).toEqual({ msgKey: 'sampleText', msgParam: JSON.stringify({ content: '纯文本' }) });
    expect(toWebhookBody(t!)).toMatchObject({ msgtype: 'text', text: { content: '纯文本' } });
  });

  it('derives a title from the first line when none is given', () => {
    const [p] = planMessage({ title: '  ', text: '### 📋 **郭道镇** 本周\n正文' }, { channel: 'openapi', maxBytes: 14_000 });
    expect(p?.title).toBe('📋 郭道镇 本周');
  });
});
