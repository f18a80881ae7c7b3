import { describe, expect, it } from 'vitest';
import { findLinks } from './links.js';
import { extractLinks, parseCommand } from './parse.js';

const urls = (text: string) => findLinks(text).map((l) => l.url);

describe('findLinks', () => {
  it('finds links without a scheme on known domains and gives them one', () => {
    expect(urls('见 www.qinyuan.gov.cn/xxgk/a.html')).toEqual(['http://www.qinyuan.gov.cn/xxgk/a.html']);
    expect(urls('gdz.qinyuan.gov.cn/xzcf/')).toEqual(['http://gdz.qinyuan.gov.cn/xzcf/']);
    expect(urls('mp.weixin.qq.com/s/abc')).toEqual(['http://mp.weixin.qq.com/s/abc']);
  });

  it('does not take milestone selectors, versions or e-mail addresses for links', () => {
    expect(urls('确认 6.2 v1.0 3.5篇 gd@qinyuan.gov.cn')).toEqual([]);
  });

  it('splits links joined by commas or semicolons, and stops at Chinese text and punctuation', () => {
    expect(urls('https://a.gov.cn/x,https://b.gov.cn/y')).toEqual(['https://a.gov.cn/x', 'https://b.gov.cn/y']);
    expect(urls('www.a.gov.cn/x;www.b.gov.cn/y')).toEqual(['http://www.a.gov.cn/x', 'http://www.b.gov.cn/y']);
    expect(urls('www.a.gov.cn/x.html已公开')).toEqual(['http://www.a.gov.cn/x.html']);
  });

  it('keeps a comma inside a path when no link follows it', () => {
    expect(urls('https://a.gov.cn/art_1,2.html')).toEqual(['https://a.gov.cn/art_1,2.html']);
  });

  it('lower-cases the scheme and host, not the path, and mends a full-width colon', () => {
    expect(urls('HTTP://WWW.QINYUAN.GOV.CN/Xxgk/A.html')).toEqual(['http://www.qinyuan.gov.cn/Xxgk/A.html']);
    expect(urls('http：//www.qinyuan.gov.cn/a')).toEqual(['http://www.qinyuan.gov.cn/a']);
  });

  it('gives each link’s place in the text without its trailing punctuation', () => {
    const text = '见https://a.gov.cn/x。';
    const [link] = findLinks(text);
    expect(text.slice(link?.start, link?.end)).toBe('https://a.gov.cn/x');
  });
});

describe('extractLinks', () => {
  it('reads links separated by full-width commas, 、 and spaces, each once', () => {
    expect(extractLinks('www.a.gov.cn/1，www.a.gov.cn/2、www.a.gov.cn/3 www.a.gov.cn/1')).toEqual([
      'http://www.a.gov.cn/1',
      'http://www.a.gov.cn/2',
      'http://www.a.gov.cn/3',
    ]);
  });

  it('leaves a clean note once the links are out', () => {
    const tasks = [{ no: 4, name: '行政处罚信息公开' }];
    const now = new Date('2022-11-21T09:30:00+08:00');
    for (const text of ['确认 4 链接：www.a.gov.cn/x', '确认 4（见www.a.gov.cn/x）', '确认 4 <https://a.gov.cn/x>', '确认 4 网址 www.a.gov.cn/x', '确认 4 见 www.a.gov.cn/x 。']) {
      expect(parseCommand(text, { tasks, now })).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [expect.stringMatching(/a\.gov\.cn\/x$/u)] });
    }
  });
});
