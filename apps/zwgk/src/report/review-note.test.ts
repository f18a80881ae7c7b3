import { resolveRubric, score, type Rubric } from '@zwgk/sdk';
import { describe, expect, it } from 'vitest';
import { reviewNote } from './context.js';
import { tinyPlan, tinyRecordsInput } from './fixtures.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { DEFAULT_TONGBAO_TEMPLATE, fillTongbao, tongbaoData } from './tongbao.js';
import { RecordsSchema } from '@zwgk/sdk';

const plan = tinyPlan();
const required: Rubric = (() => {
  const r = resolveRubric({ review: { required: true } });
  if (!r.success) throw new Error(r.error);
  return r.data;
})();

/** The tiny records with 郭道镇's confirmations accepted, 沁河镇's first one returned and the rest waiting. */
function reviewed() {
  const input = tinyRecordsInput();
  input.confirmations = (input.confirmations ?? []).map((c, i) => {
    if (c.unit === '郭道镇') return { ...c, review: { state: 'accepted' as const } };
    if (c.unit === '沁河镇' && i === 3) return { ...c, review: { state: 'returned' as const, reason: '链接打不开' } };
    return c;
  });
  return RecordsSchema.parse(input);
}

describe('reviewNote', () => {
  it('says nothing when review is not required: the scores do not depend on it', () => {
    const a = score(plan, reviewed(), { asOf: '2022-12-31' });
    expect(reviewNote(a)).toBe('');
    expect(renderMarkdown(a, plan)).not.toContain('复核');
  });

  it('names what waits and what was returned when only accepted confirmations count', () => {
    const a = score(plan, reviewed(), { asOf: '2022-12-31', rubric: required });
    const note = reviewNote(a);
    expect(note).toMatch(/^只计复核通过的确认：待复核 \d+ 项、退回 1 项未计分$/u);
    expect(a.reviews.returned).toBe(1);
    expect(a.reviews.pending).toBeGreaterThan(0);
    expect(renderMarkdown(a, plan)).toContain(`（${note}）`);
    expect(renderHtml(a, plan)).toContain(`；${note}</p>`);
  });

  it('puts the counts into the 通报’s overall paragraph', async () => {
    const a = score(plan, reviewed(), { asOf: '2022-12-31', rubric: required });
    const filled = await fillTongbao(DEFAULT_TONGBAO_TEMPLATE, tongbaoData(a, plan));
    const body = filled.success ? filled.data.paragraphs.map((p) => p.text).join('\n') : '';
    expect(body).toContain(`完成情况只计经复核通过的确认，待复核${a.reviews.pending}项次、退回1项次暂未计分。`);
    const lenient = await fillTongbao(DEFAULT_TONGBAO_TEMPLATE, tongbaoData(score(plan, reviewed(), { asOf: '2022-12-31' }), plan));
    expect(lenient.success && lenient.data.paragraphs.map((p) => p.text).join('\n')).not.toContain('复核');
  });
});
