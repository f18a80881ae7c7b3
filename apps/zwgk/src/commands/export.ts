import { resolve } from 'node:path';
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../io.js';
import { writeFileAtomic } from '../report/write.js';
import { recordsFromDatabase } from './report-sources.js';
import { configuredPlan } from './shared.js';

const usage = `Usage: zwgk export [--out FILE]

Writes everything the bot recorded for the plan year (confirmations, briefings, highlights, carry-over,
deductions, exemptions) as the records JSON that \`zwgk report --records FILE\` and other tools read.
The bot's 导出 command in the admin group points here.

  --out FILE   write to FILE (atomically) instead of standard output`;

export const exportCommand: Command = {
  name: 'export',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { out: { type: 'string' } }, usage);
    if (positionals.length) throw new UsageError(`unexpected "${positionals.join(' ')}"\n\n${usage}`);
    const plan = await configuredPlan(io);
    const records = await recordsFromDatabase(plan, io);
    const body = `${JSON.stringify(records, null, 2)}\n`;
    if (values.out === undefined) {
      io.stdout.write(body);
      return 0;
    }
    const path = resolve(io.cwd ?? process.cwd(), values.out);
    await writeFileAtomic(path, body);
    io.stderr.write(`wrote ${values.out}: ${records.confirmations.length} confirmations, ${records.briefings.length} briefings, ${records.highlights.length} highlights\n`);
    return 0;
  },
};
