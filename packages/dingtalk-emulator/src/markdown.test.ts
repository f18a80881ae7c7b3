import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderPlainText } from './markdown.js';

describe('renderMarkdown', () => {
  it('renders headings, bold and a list', () => {
    expect(renderMarkdown('### 本周待办\n**逾期** 2 项\n- 任务 4\n- 任务 6')).toBe(
      '<h3>本周待办</h3><p><strong>逾期</strong> 2 项</p><ul><li>任务 4</li><li>任务 6</li></ul>',
    );
  });

  it('keeps the numbering of an ordered list that does not start at 1', () => {
    expect(renderMarkdown('3. 三\n4. 四')).toBe('<ol start="3"><li>三</li><li>四</li></ol>');
  });

  it('turns single line breaks into <br> and blank lines into paragraphs', () => {
    expect(renderMarkdown('一\n二\n\n三')).toBe('<p>一<br>二</p><p>三</p>');
  });

  it('renders quotes and rules', () => {
    expect(renderMarkdown('> 说明\n> 第二行\n\n---')).toBe('<blockquote>说明<br>第二行</blockquote><hr>');
  });

  it('renders links that open in a new tab', () => {
    expect(renderMarkdown('[政策](https://example.org/a?b=1&c=2)')).toBe(
      '<p><a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">政策</a></p>',
    );
  });

  it('marks dtmd:// links so the page can send their content', () => {
    expect(renderMarkdown('[确认](dtmd://dingtalkclient/sendMessage?content=%E7%A1%AE%E8%AE%A4)')).toContain('data-dtmd="1"');
  });

  it('highlights @-mentions by display name', () => {
    expect(renderMarkdown('请 @u1 确认', { u1: '张三' })).toBe('<p>请 <span class="mention">@张三</span> 确认</p>');
  });

  it('escapes HTML, including inside bold text', () => {
    const html = renderMarkdown('<script>alert(1)</script> **<img src=x onerror=alert(1)>**');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('does not turn javascript: links into links', () => {
    const html = renderMarkdown('[x](javascript:alert(1))');
    expect(html).not.toContain('href');
  });

  it('keeps quotes in a link URL from breaking out of the attribute', () => {
    const html = renderMarkdown('[x](https://e.org/"onmouseover="alert(1))');
    expect(html).not.toMatch(/href="[^"]*"onmouseover/);
  });

  it('shows images as links instead of loading them', () => {
    const html = renderMarkdown('![图表](https://example.org/c.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('class="img-link"');
  });

  it('does not render markdown inside inline code', () => {
    expect(renderMarkdown('`**x**`')).toBe('<p><code>**x**</code></p>');
  });

  it('runs the same way from its source text, as the page embeds it', () => {
    const fromSource = new Function(`return ${renderMarkdown.toString()}`)() as typeof renderMarkdown;
    expect(fromSource('## 标题 @u1', { u1: '张三' })).toBe(renderMarkdown('## 标题 @u1', { u1: '张三' }));
  });
});

describe('renderPlainText', () => {
  it('escapes text, keeps line breaks and highlights mentions', () => {
    expect(renderPlainText('确认 4 <b>\n@李四', { 李四: '李四' })).toBe('确认 4 &lt;b&gt;<br><span class="mention">@李四</span>');
  });

  it('links http(s) URLs and keeps them escaped', () => {
    expect(renderPlainText('见 https://e.org/a?b=1&c=2 谢谢')).toBe(
      '见 <a href="https://e.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">https://e.org/a?b=1&amp;c=2</a> 谢谢',
    );
  });

  it('prefers the longer of two overlapping mentions', () => {
    expect(renderPlainText('@张三丰', { 张三: '张三', 张三丰: '张三丰' })).toBe('<span class="mention">@张三丰</span>');
  });
});

describe('renderMarkdown entities', () => {
  it('shows entity references in markdown text as the characters they stand for', () => {
    expect(renderMarkdown('a &lt;b&gt; &amp; c')).toBe('<p>a &lt;b&gt; &amp; c</p>');
    expect(renderMarkdown('<script>')).toBe('<p>&lt;script&gt;</p>');
  });
});
