/** Firm profile API: versioned profiles, classification, applicability with reasons, what-if, calendar. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { buildFirm, buildTestApp, buildUser, openTestRuntime, signIn, type Session, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';

let runtime: TestRuntime;
let app: App;
let firmId: string;
let session: Session;

const onlineBroker = {
  name: '範例證券', paidInCapitalNtd: 12_000_000_000, fiscalYearEnd: '12-31',
  channels: { internet: true, voice: true, traditional: true, dma: false, colocation: false },
  brokerage: true, publicCompany: true, foreign: false,
  shares: { internetDmaTurnoverPct: 55, brokerageMarketSharePct: 1.2, naturalPersonClientPct: 85 },
  website: true, apiServices: false, cloud: { user: true, provider: false, critical: false },
  socialMedia: true, mobileApps: [{ name: '行動下單', level: 'L2', fTested: false }], mobileDevices: true, byod: false,
  iot: true, videoIdentityVerification: false, internationalTransfer: false,
};
const voiceOnly = { ...onlineBroker, name: '語音證券', paidInCapitalNtd: 2_000_000_000, channels: { internet: false, voice: true, traditional: true, dma: false, colocation: false }, mobileApps: [] };

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  firmId = await buildFirm(runtime.db, '範例證券');
  const admin = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
  await runtime.db.query("UPDATE memberships SET role = 'assessor' WHERE user_id = $1", [admin.id]);
  // Profile updates need profile:update; grant it through a CISO-free route: a firm admin without MFA.
  session = await signIn(app, admin);
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

async function saveProfile(profile: unknown, as: Session = session) {
  return app.inject({ method: 'PUT', url: `/api/v1/firms/${firmId}/profile`, headers: as.headers, payload: profile as object });
}

describe('profile', () => {
  it('is refused to a role without profile:update', async () => {
    expect((await saveProfile(onlineBroker)).statusCode).toBe(403);
  });

  it('names the field of impossible input and stores nothing', async () => {
    const admin = await buildUser(runtime.db, { memberships: [{ firmId, role: 'firm_admin' }] });
    await runtime.db.query('UPDATE users SET mfa_enabled = false WHERE id = $1', [admin.id]);
    // Firm admins must use MFA; this test only exercises validation, so skip enrolment by requiring none.
    const { signInWithMfa } = await import('../support/harness.ts');
    session = await signInWithMfa(app, admin);
    for (const [profile, field] of [
      [{ ...onlineBroker, paidInCapitalNtd: -1 }, 'paidInCapitalNtd'],
      [{ ...onlineBroker, shares: { ...onlineBroker.shares, naturalPersonClientPct: 120 } }, 'shares.naturalPersonClientPct'],
      [{ ...onlineBroker, fiscalYearEnd: '02-30' }, 'fiscalYearEnd'],
    ] as const) {
      const response = await saveProfile(profile);
      expect(response.statusCode, field).toBe(400);
      expect(response.json().error.issues.map((issue: { where: string }) => issue.where)).toContain(field);
    }
    const stored = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/profile`, headers: session.headers });
    expect(stored.json().revision).toBeNull();
  });

  it('keeps every revision and classifies with reasons', async () => {
    expect((await saveProfile(voiceOnly)).statusCode).toBe(200);
    const saved = await saveProfile(onlineBroker);
    expect(saved.json().revision).toBe(2);
    const classification = (await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/classification`, headers: session.headers })).json();
    expect(classification).toMatchObject({ cisoRequired: true, tier: 2, type: 1 });
    expect(classification.reasons.find((reason: { topic: string }) => reason.topic === 'ciso').text).toContain('一百億元');
    const history = (await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/profile/history`, headers: session.headers })).json();
    expect(history.revisions.map((entry: { revision: number }) => entry.revision)).toEqual([2, 1]);
  });

  it('previews a classification without saving', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/classify', headers: session.headers, payload: voiceOnly });
    expect(response.json()).toMatchObject({ cisoRequired: false, tier: 4, type: 2 });
  });
});

describe('applicability', () => {
  it('gives each CSIM 112 item a verdict with a reason, filterable', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/applicability?version=112&date=2024-06-30&document=CSIM`, headers: session.headers });
    expect(response.statusCode).toBe(200);
    const report = response.json();
    const byId = new Map(report.items.map((item: { id: string }) => [item.id, item]));
    expect(byId.get('CSIM:7.1.d')).toMatchObject({ verdict: 'applies' });
    expect(byId.get('CSIM:7.2.e')).toMatchObject({ verdict: 'applies' });
    const monthly = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/applicability?version=112&document=CSIM&cycle=monthly&verdict=applies`, headers: session.headers });
    expect(monthly.json().items.every((item: { cycle: string; verdict: string }) => item.cycle === 'monthly' && item.verdict === 'applies')).toBe(true);
  });

  it('answers an unknown catalog version with the field named', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/applicability?version=999`, headers: session.headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].where).toBe('version');
  });

  it('uses the profile as it was on a past date', async () => {
    const before = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/profile?at=2000-01-01`, headers: session.headers });
    expect(before.json().profile).toBeNull();
  });

  it('what-if lists what newly applies when a voice-only firm goes online', async () => {
    const response = await app.inject({
      method: 'POST', url: '/api/v1/applicability/what-if', headers: session.headers,
      payload: { profileA: voiceOnly, profileB: onlineBroker, document: 'CSIM', versionA: '112', date: '2024-06-30' },
    });
    const newly = response.json().newlyApplies.map((change: { after: { id: string } }) => change.after.id);
    expect(newly).toContain('CSIM:7.1.c');
    expect(newly).toContain('CSIM:9.9');
    expect(newly).not.toContain('CSIM:7.1.b');
  });

  it('what-if across versions lists the new 112 items', async () => {
    const response = await app.inject({
      method: 'POST', url: '/api/v1/applicability/what-if', headers: session.headers,
      payload: { profileA: onlineBroker, document: 'CSIM', versionA: '111', versionB: '112', date: '2024-06-30' },
    });
    const newly = response.json().newlyApplies.map((change: { after: { id: string } }) => change.after.id);
    expect(newly).toEqual(expect.arrayContaining(['CSIM:7.1.d', 'CSIM:7.1.a.j']));
  });
});

describe('calendar', () => {
  it('lists the board statement due three months after fiscal year end and exports a valid .ics', async () => {
    const calendar = (await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/calendar?year=2024`, headers: session.headers })).json();
    expect(calendar.periods.filter((period: { cycle: string }) => period.cycle === 'monthly')).toHaveLength(12);
    const statement = calendar.obligations.find((entry: { itemIds: string[] }) => entry.itemIds.includes('CSIM:2.6'));
    expect(statement.due).toBe('2024-03-31');

    const ics = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/calendar.ics?year=2024`, headers: session.headers });
    expect(ics.headers['content-type']).toContain('text/calendar');
    const component = new ICAL.Component(ICAL.parse(ics.body));
    const events = component.getAllSubcomponents('vevent').map((event) => new ICAL.Event(event));
    expect(events.length).toBeGreaterThan(20);
    expect(new Set(events.map((event) => event.uid)).size).toBe(events.length);
    expect(events.some((event) => event.summary.includes('聲明書') && event.startDate.toString() === '2024-03-31')).toBe(true);
  });
});
