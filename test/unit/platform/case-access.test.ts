import {
  mayAccessCase,
  mayWorkOnTask,
  readableProcesses,
} from '../../../src/platform/auth/case-access';

const A = 'mun-a';
const B = 'mun-b';
const user = (
  grants: { role: string; processKey?: string | null }[],
  municipalityId = A,
  partyRefs: string[] = [],
) => ({
  accountId: 'acc-1',
  municipalityId,
  grants: grants.map((g) => ({ role: g.role, processKey: g.processKey ?? null })),
  partyRefs,
});
const residence = {
  municipalityId: A,
  processKey: 'residence-declaration',
  parties: ['290165-13409', 'acc-party'],
};
const annulment = {
  municipalityId: A,
  processKey: 'residence-annulment',
  parties: ['290165-13409'],
};
const reference = { municipalityId: A, processKey: 'reference', parties: ['acc-party'] };

describe('mayAccessCase (issue 12 H1)', () => {
  it('lets a caseworker read cases of the processes granted, a grant without a process covering all', () => {
    expect(mayAccessCase(user([{ role: 'caseworker' }]), residence, 'read')).toBe(true);
    expect(
      mayAccessCase(user([{ role: 'caseworker', processKey: 'reference' }]), reference, 'read'),
    ).toBe(true);
    expect(
      mayAccessCase(user([{ role: 'caseworker', processKey: 'reference' }]), residence, 'read'),
    ).toBe(false);
    expect(
      mayAccessCase(user([{ role: 'caseworker', processKey: 'reference' }]), residence, 'handle'),
    ).toBe(false);
  });

  it('covers the residence annulments and certificates with the residence grant, and an annulment grant covers annulments only', () => {
    expect(
      mayAccessCase(
        user([{ role: 'caseworker', processKey: 'residence-declaration' }]),
        annulment,
        'read',
      ),
    ).toBe(true);
    expect(
      mayAccessCase(
        user([{ role: 'caseworker', processKey: 'residence-annulment' }]),
        annulment,
        'read',
      ),
    ).toBe(true);
    expect(
      mayAccessCase(
        user([{ role: 'caseworker', processKey: 'residence-annulment' }]),
        residence,
        'read',
      ),
    ).toBe(false);
  });

  it('gives council secretaries, deputies and administrators no case file', () => {
    for (const role of ['council_secretary', 'deputy', 'administrator', 'citizen'])
      for (const action of ['read', 'handle', 'manage'] as const)
        expect(mayAccessCase(user([{ role }]), residence, action)).toBe(false);
  });

  it('lets managers read, handle and manage every process; only managers manage', () => {
    for (const action of ['read', 'handle', 'manage'] as const)
      expect(mayAccessCase(user([{ role: 'manager' }]), residence, action)).toBe(true);
    expect(mayAccessCase(user([{ role: 'caseworker' }]), residence, 'manage')).toBe(false);
  });

  it('refuses everyone in another municipality, and a user with none', () => {
    expect(mayAccessCase(user([{ role: 'manager' }], B), residence, 'read')).toBe(false);
    expect(
      mayAccessCase(user([{ role: 'citizen' }], B, ['290165-13409']), residence, 'party'),
    ).toBe(false);
    expect(
      mayAccessCase(
        { accountId: 'x', municipalityId: null, grants: [{ role: 'manager', processKey: null }] },
        residence,
        'read',
      ),
    ).toBe(false);
    expect(mayAccessCase(undefined, residence, 'read')).toBe(false);
  });

  it('lets a citizen of the municipality see the cases naming them as a party, and no other', () => {
    expect(
      mayAccessCase(
        user([{ role: 'citizen' }], A, ['acc-party', '290165-13409']),
        residence,
        'party',
      ),
    ).toBe(true);
    expect(
      mayAccessCase(
        user([{ role: 'citizen' }], A, ['acc-other', '220790-14568']),
        residence,
        'party',
      ),
    ).toBe(false);
    // Staff pages are not a party's: a party is no caseworker, and a caseworker no party.
    expect(mayAccessCase(user([{ role: 'citizen' }], A, ['acc-party']), residence, 'read')).toBe(
      false,
    );
    expect(
      mayAccessCase(user([{ role: 'caseworker' }], A, ['acc-party']), residence, 'party'),
    ).toBe(false);
  });

  it('lists the readable processes: all for a manager, the granted ones for a caseworker, none for an administrator', () => {
    const all = [
      'reference',
      'residence-declaration',
      'residence-annulment',
      'residence-certificate',
    ];
    expect(readableProcesses(user([{ role: 'manager' }]), all)).toBeNull();
    expect(
      readableProcesses(user([{ role: 'caseworker', processKey: 'residence-declaration' }]), all),
    ).toEqual(['residence-declaration', 'residence-annulment', 'residence-certificate']);
    expect(readableProcesses(user([{ role: 'administrator' }]), all)).toEqual([]);
  });
});

describe('mayWorkOnTask (issue 12 H1, L5)', () => {
  const task = { municipalityId: A, processKey: 'reference', role: 'caseworker' };
  it('needs the task role and, for a caseworker task, a grant for its process, in its municipality', () => {
    expect(mayWorkOnTask(user([{ role: 'caseworker' }]), task)).toBe(true);
    expect(mayWorkOnTask(user([{ role: 'caseworker', processKey: 'reference' }]), task)).toBe(true);
    expect(
      mayWorkOnTask(user([{ role: 'caseworker', processKey: 'residence-declaration' }]), task),
    ).toBe(false);
    expect(mayWorkOnTask(user([{ role: 'manager' }]), task)).toBe(false);
    expect(mayWorkOnTask(user([{ role: 'caseworker' }], B), task)).toBe(false);
    expect(
      mayWorkOnTask(user([{ role: 'council_secretary' }]), { ...task, role: 'council_secretary' }),
    ).toBe(true);
  });
});

describe('case access for users holding several roles or only role names', () => {
  it('lets a caseworker who is also a citizen read the cases of the grant and see only the cases naming them', () => {
    const both = user([{ role: 'citizen' }, { role: 'caseworker', processKey: 'reference' }], A, [
      'acc-1',
    ]);
    expect(mayAccessCase(both, reference, 'read')).toBe(true);
    expect(mayAccessCase(both, residence, 'read')).toBe(false);
    expect(mayAccessCase(both, { ...reference, parties: ['acc-1', 'acc-other'] }, 'party')).toBe(
      true,
    );
    expect(mayAccessCase(both, reference, 'party')).toBe(false);
  });

  it('lets a manager who also holds another role manage and list every process', () => {
    const boss = user([{ role: 'caseworker', processKey: 'reference' }, { role: 'manager' }]);
    expect(mayAccessCase(boss, residence, 'manage')).toBe(true);
    expect(readableProcesses(boss, ['reference', 'residence-declaration'])).toBeNull();
  });

  it('reads role names without grants as roles for every process', () => {
    const byRole = { accountId: 'acc-1', municipalityId: A, roles: ['caseworker'] };
    expect(mayAccessCase(byRole, residence, 'read')).toBe(true);
    expect(mayAccessCase({ accountId: 'acc-1', municipalityId: A }, residence, 'read')).toBe(false);
    expect(
      mayWorkOnTask(
        { accountId: 'acc-1', municipalityId: A, roles: ['council_secretary'] },
        { municipalityId: A, processKey: 'x', role: 'council_secretary' },
      ),
    ).toBe(true);
  });

  it('lists no processes, not every one, for a manager without an active municipality', () => {
    expect(
      readableProcesses(user([{ role: 'manager' }], null as unknown as string), ['reference']),
    ).toEqual([]);
    expect(
      readableProcesses(user([{ role: 'caseworker' }], null as unknown as string), ['reference']),
    ).toEqual([]);
  });

  it('refuses a task to no user, and a non-caseworker task to holders of other roles', () => {
    const task = { municipalityId: A, processKey: 'reference', role: 'council_secretary' };
    expect(mayWorkOnTask(null, task)).toBe(false);
    expect(mayWorkOnTask(undefined, task)).toBe(false);
    expect(mayWorkOnTask(user([{ role: 'citizen' }]), task)).toBe(false);
    expect(mayWorkOnTask(user([{ role: 'citizen' }, { role: 'council_secretary' }]), task)).toBe(
      true,
    );
  });
});
