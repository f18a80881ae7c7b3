import { describe, expect, it } from 'vitest';
import { shortLink } from './build.js';

describe('shortLink', () => {
  it('shows the host and the last path segment, without www and the query', () => {
    expect(shortLink('https://www.qinyuan.gov.cn/xxgk/zfxxgk/xzcf/index.html?id=3')).toBe('qinyuan.gov.cn/…/index.html');
    expect(shortLink('https://gdz.qinyuan.gov.cn/xzcf')).toBe('gdz.qinyuan.gov.cn/xzcf');
    expect(shortLink('https://gdz.qinyuan.gov.cn/')).toBe('gdz.qinyuan.gov.cn');
  });

  it('decodes the segment and keeps to the length limit', () => {
    expect(shortLink('https://x.cn/a/%E5%85%AC%E5%BC%80')).toBe('x.cn/…/公开');
    const long = shortLink(`https://example.gov.cn/a/${'b'.repeat(80)}`);
    expect([...long]).toHaveLength(40);
    expect(long.endsWith('…')).toBe(true);
    expect([...shortLink('https://a.cn/xyz', 8)]).toHaveLength(8);
  });

  it('copes with text that is no URL', () => {
    expect(shortLink('https://')).toBe('https://');
    expect(shortLink('http://bad host/x')).toBe('bad host/x');
  });
});
