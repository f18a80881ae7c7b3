import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../io.js';

const usage = `Usage:
  zwgk units [list] [--json]             the unit directory: kind, ranking group, flags, aliases
  zwgk units add NAME --kind KIND [--alias A]… [--group PHRASE]… [--sector S]… [--ranking-group ID]
                 [--assessor] [--vertical]
                                         a new unit, e.g. an enterprise task 12 reaches:
                                         zwgk units add 县供水公司 --kind enterprise --group 归口管理的公共企事业单位
  zwgk units rename OLD NEW              the old name stays an alias, so old records still read
  zwgk units retire NAME                 no task reaches it and it is not scored (records stay)
  zwgk units restore NAME                undo retire
  zwgk units set NAME [--kind KIND] [--ranking-group ID] [--alias A]… [--group PHRASE]… [--sector S]…
                 [--assessor | --not-assessor] [--vertical | --not-vertical]
                                         change a unit; lists given replace the unit's lists

KIND: township (乡镇), zone (开发区), department (县直部门), enterprise (企业), institution (事业单位).
--assessor: the assessing office, scored but never ranked. --vertical: vertically managed (垂直管理),
ranked in its own group or left out as the rubric says. Ranking groups by default: township, department,
public (公共企事业单位), vertical.

Edits go to the config file (zwgk.config.json, or ZWGK_CONFIG) as a list under "units"; a change the
configuration would reject (a name claimed twice, an unknown unit) is refused and nothing is written.`;

export const unitsCommand: Command = {
  name: 'units',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        json: { type: 'boolean' },
        kind: { type: 'string' },
        alias: { type: 'string', multiple: true },
        group: { type: 'string', multiple: true },
        sector: { type: 'string', multiple: true },
        'ranking-group': { type: 'string' },
        assessor: { type: 'boolean' },
        'not-assessor': { type: 'boolean' },
        vertical: { type: 'boolean' },
        'not-vertical': { type: 'boolean' },
      },
      usage,
    );
    const { runUnits } = await import('./units-run.js');
    if (values.assessor && values['not-assessor']) throw new UsageError('choose one of --assessor and --not-assessor');
    if (values.vertical && values['not-vertical']) throw new UsageError('choose one of --vertical and --not-vertical');
    return runUnits(positionals, values, io, usage);
  },
};
