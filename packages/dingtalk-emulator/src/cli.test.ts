import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs, parseGroupsFile, runCli } from './cli.js';
import type { Emulator } from './server.js';

describe('parseCliArgs', () => {
  it('defaults to port 8790', () => {
    expect(parseCliArgs([])).toEqual({ success: true, data: { port: 8790, cardTemplates: [], quiet: false, help: false } });
  });

  it('reads --max-redeliveries', () => {
    expect(parseCliArgs(['--max-redeliveries', '50'])).toMatchObject({ success: true, data: { maxRedeliveries: 50 } });
    expect(parseCliArgs(['--max-redeliveries', '-1']).success).toBe(false);
  });

  it('reads --port, --groups, --ack-timeout in both spellings', () => {
    expect(parseCliArgs(['--port', '0', '--groups=g.json', '--ack-timeout', '200', '--quiet'])).toEqual({
      success: true,
      data: { port: 0, groupsFile: 'g.json', cardTemplates: [], ackTimeoutMs: 200, quiet: true, help: false },
    });
  });

  it('collects repeated --card-template ids and refuses one without an id', () => {
    expect(parseCliArgs(['--card-template', 'a.schema', '--card-template=b.schema'])).toMatchObject({ success: true, data: { cardTemplates: ['a.schema', 'b.schema'] } });
    expect(parseCliArgs(['--card-template'])).toMatchObject({ success: false, error: { message: '--card-template needs a template id' } });
    expect(parseCliArgs(['--card-template', '--quiet'])).toMatchObject({ success: false });
  });

  it('refuses a port that is not an integer in range', () => {
    expect(parseCliArgs(['--port', '70000'])).toMatchObject({ success: false, error: { message: expect.stringContaining('0 to 65535') } });
    expect(parseCliArgs(['--port'])).toMatchObject({ success: false, error: { message: '--port needs a value' } });
  });

  it('refuses unknown arguments', () => {
    expect(parseCliArgs(['--verbose'])).toMatchObject({ success: false, error: { message: 'unknown argument "--verbose"' } });
  });
});

describe('parseGroupsFile', () => {
  it('accepts an array or { groups }', () => {
    const g = [{ title: 'A', members: [] }];
    expect(parseGroupsFile(JSON.stringify(g), 'f')).toEqual({ success: true, data: g });
    expect(parseGroupsFile(JSON.stringify({ groups: g }), 'f')).toEqual({ success: true, data: g });
  });

  it('names the file when it is not JSON or not groups', () => {
    expect(parseGroupsFile('{', 'groups.json')).toMatchObject({ success: false, error: { message: expect.stringContaining('groups.json is not valid JSON') } });
    expect(parseGroupsFile('{"title":"A"}', 'groups.json').success).toBe(false);
  });
});

describe('runCli', () => {
  let running: Emulator | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('starts with the groups of a file and prints the URL', async () => {
    dir = await mkdtemp(join(tmpdir(), 'emu-cli-'));
    const file = join(dir, 'groups.json');
    await writeFile(file, JSON.stringify([{ title: '郭道镇', members: [{ staffId: 'u1', nick: '张三' }] }]));
    const out: string[] = [];
    const result = await runCli(['--port', '0', '--groups', file, '--quiet'], { out: (s) => out.push(s), err: () => undefined });
    expect(typeof result).toBe('object');
    running = result as Emulator;
    expect(out[0]).toBe(`DingTalk emulator: ${running.url}`);
    expect(running.groups().map((g) => g.title)).toEqual(['郭道镇']);
  });

  it('registers the card templates it is given', async () => {
    const out: string[] = [];
    const result = await runCli(['--port', '0', '--card-template', 'zwgk-action.schema', '--quiet'], { out: (s) => out.push(s), err: () => undefined });
    running = result as Emulator;
    expect(out.at(-1)).toContain('zwgk-action.schema');
    const templates = (await (await fetch(`${running.url}/_emulator/card-templates`)).json()) as Array<{ cardTemplateId: string }>;
    expect(templates.map((t) => t.cardTemplateId)).toEqual(['zwgk-action.schema']);
  });

  it('exits 1 with a message for a group the emulator refuses', async () => {
    dir = await mkdtemp(join(tmpdir(), 'emu-cli-'));
    const file = join(dir, 'groups.json');
    await writeFile(file, JSON.stringify([{ title: '', members: [] }]));
    const err: string[] = [];
    expect(await runCli(['--port', '0', '--groups', file], { out: () => undefined, err: (s) => err.push(s) })).toBe(1);
    expect(err.join()).toContain('title must be a non-empty string');
  });

  it('exits 2 with the usage for a bad argument', async () => {
    const err: string[] = [];
    expect(await runCli(['--port', 'x'], { out: () => undefined, err: (s) => err.push(s) })).toBe(2);
    expect(err.join()).toContain('usage: zwgk-dingtalk-emulator');
  });

  it('exits 1 when the groups file is missing', async () => {
    const err: string[] = [];
    expect(await runCli(['--groups', '/nonexistent/groups.json'], { out: () => undefined, err: (s) => err.push(s) })).toBe(1);
    expect(err.join()).toContain('cannot read /nonexistent/groups.json');
  });
});
