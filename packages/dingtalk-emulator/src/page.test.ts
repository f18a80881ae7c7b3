import { describe, expect, it } from 'vitest';
import { dayDividerLabel, renderPage } from './page.js';

describe('dayDividerLabel', () => {
  it('names the Shanghai month, day and weekday', () => {
    expect(dayDividerLabel(Date.parse('2022-11-21T09:05:00+08:00'))).toBe('11月21日 星期一');
  });

  it('counts the day from midnight in Shanghai, not in UTC', () => {
    // 16:30 UTC on the 20th is already 00:30 on Monday the 21st in Shanghai.
    expect(dayDividerLabel(Date.parse('2022-11-20T16:30:00Z'))).toBe('11月21日 星期一');
    expect(dayDividerLabel(Date.parse('2022-11-20T15:59:00Z'))).toBe('11月20日 星期日');
  });

  it('puts the year in front only when it differs from the reference instant’s', () => {
    const newYearsEve = Date.parse('2021-12-31T23:00:00+08:00');
    expect(dayDividerLabel(newYearsEve, Date.parse('2022-01-01T08:00:00+08:00'))).toBe('2021年12月31日 星期五');
    expect(dayDividerLabel(newYearsEve, Date.parse('2021-03-01T08:00:00+08:00'))).toBe('12月31日 星期五');
  });
});

describe('renderPage', () => {
  it('has a rule for narrow screens, a back button and the sandbox controls slot', () => {
    const html = renderPage({ html: '<b id="x">控件</b>' });
    expect(html).toContain('@media (max-width: 719.98px)');
    expect(html).toContain('id="back"');
    expect(html).toContain('<div id="sandbox-controls"><b id="x">控件</b></div>');
  });
});
