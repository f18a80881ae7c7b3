import type { Plan } from '@zwgk/sdk';
import { directoryOf } from '@zwgk/sdk';

/** A person in the sandbox's groups. */
export interface DemoMember {
  staffId: string;
  nick: string;
}

/** One sandbox group: a unit's work group, or the county office's admin group. */
export interface DemoGroup {
  unit: string | null;
  title: string;
  liaison: DemoMember;
  members: DemoMember[];
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['芳', '伟', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '桂英', '建华'];

/** A plausible, stable name for the n-th demo person. */
function demoName(n: number): string {
  return `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7 + 3) % GIVEN.length]}`;
}

/**
 * The sandbox county: a group for every unit that has tasks in the plan, each with a liaison (联络员)
 * and a colleague, plus the county office's admin group.
 */
export function demoCounty(plan: Plan): { admin: DemoGroup; units: DemoGroup[] } {
  const directory = directoryOf(plan);
  const assigned = new Set(plan.tasks.flatMap((task) => directory.expand(task.units, task.no).map((a) => a.unit)));
  const units = directory.units
    .filter((u) => assigned.has(u.name))
    .map((u, i): DemoGroup => {
      const liaison = { staffId: `liaison-${i + 1}`, nick: demoName(2 * i) };
      return {
        unit: u.name,
        title: `${u.name}政务公开工作群`,
        liaison,
        members: [liaison, { staffId: `staff-${i + 1}`, nick: demoName(2 * i + 1) }],
      };
    });
  const head = { staffId: 'admin-1', nick: '县政府办 李主任' };
  return {
    admin: { unit: null, title: '县政府办政务公开管理群', liaison: head, members: [head, { staffId: 'admin-2', nick: '县政府办 赵科长' }] },
    units,
  };
}
