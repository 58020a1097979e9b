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

async function backdateRevision(revision: number, day: string) {
  await runtime.db.query('UPDATE firm_profiles SET valid_from = $3 WHERE firm_id = $1 AND revision = $2', [firmId, revision, `${day}T00:00:00Z`]);
}

async function getJson(url: string) {
  const response = await app.inject({ method: 'GET', url, headers: session.headers });
  expect(response.statusCode, url).toBe(200);
  return response.json();
}

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
    // The firm recorded its voice-only profile from 2021 and went online on 2024-07-01.
    await backdateRevision(1, '2021-01-01');
    await backdateRevision(2, '2024-07-01');
  });

  it('previews a classification without saving', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/classify', headers: session.headers, payload: voiceOnly });
    expect(response.json()).toMatchObject({ cisoRequired: false, tier: 4, type: 2 });
  });
});

describe('applicability', () => {
  it('gives each CSIM 112 item a verdict with a reason, filterable', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/applicability?version=112&date=2024-07-31&document=CSIM`, headers: session.headers });
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
    const voice = await getJson(`/api/v1/firms/${firmId}/applicability?date=2024-06-30&document=CSIM`);
    expect(voice.profileRevision).toBe(1);
    expect(voice.items.find((item: { id: string }) => item.id === 'CSIM:7.1.c').verdict).toBe('not_applicable');
    const online = await getJson(`/api/v1/firms/${firmId}/applicability?date=2024-07-01&document=CSIM`);
    expect(online.profileRevision).toBe(2);
    expect(online.items.find((item: { id: string }) => item.id === 'CSIM:7.1.c').verdict).toBe('applies');
  });

  it('before the first revision the profile did not exist: firm-dependent items need an answer', async () => {
    const report = await getJson(`/api/v1/firms/${firmId}/applicability?date=2020-12-31&document=CSIM`);
    expect(report).toMatchObject({ profileRevision: null, isProfileMissing: true });
    expect(report.notice).toContain('尚無公司基本資料');
    const online = report.items.find((item: { id: string }) => item.id === 'CSIM:7.1.c');
    expect(online.verdict).toBe('needs_answer');
    expect(online.missingFields).toContain('channels.internet');
  });

  it('without a version, each document is judged in the version in force on the date', async () => {
    const in2021 = await getJson(`/api/v1/firms/${firmId}/applicability?date=2021-06-30`);
    expect(in2021.versions).toMatchObject({ CSIM: '109', ETECH: '111.07' });
    expect(in2021.items.some((item: { versionedId: string }) => item.versionedId === 'CSIM@112:7.1.d')).toBe(false);
    const in2024 = await getJson(`/api/v1/firms/${firmId}/applicability?date=2024-06-30`);
    expect(in2024.versions).toMatchObject({ CSIM: '112', ETECH: '111.09' });
  });

  it('with CSIM 112 asked for on 2021-06-30, the 2023-08-15 additions are not yet in force', async () => {
    const report = await getJson(`/api/v1/firms/${firmId}/applicability?version=112&date=2021-06-30&document=CSIM`);
    // 7.(1) d. binds online firms only, and the firm was voice-only then: not applicable comes first.
    expect(report.items.find((entry: { id: string }) => entry.id === 'CSIM:7.1.d').verdict).toBe('not_applicable');
    for (const id of ['CSIM:7.1.a.j', 'CSIM:9.12']) {
      const item = report.items.find((entry: { id: string }) => entry.id === id);
      expect(item.verdict, id).toBe('not_in_force');
      expect(item.reason).toContain('CSIM 112（2023-08-15）新增');
      expect(item.reasonEn).toContain('added by CSIM 112 (2023-08-15)');
    }
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

  it('what-if on a date before CSIM 112: its additions do not newly apply yet', async () => {
    const response = await app.inject({
      method: 'POST', url: '/api/v1/applicability/what-if', headers: session.headers,
      payload: { profileA: onlineBroker, document: 'CSIM', versionA: '111', versionB: '112', date: '2023-06-30' },
    });
    const body = response.json();
    expect(body.newlyApplies.map((change: { after: { id: string } }) => change.after.id)).not.toContain('CSIM:7.1.a.j');
    const pending = body.changed.find((change: { after: { id: string } | null }) => change.after?.id === 'CSIM:7.1.a.j');
    expect(pending.after.verdict).toBe('not_in_force');
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

  it('judges each occurrence with the profile revision in force: online-ordering duties start with the 2024-07-01 revision', async () => {
    const calendar = await getJson(`/api/v1/firms/${firmId}/calendar?year=2024`);
    const scans = calendar.obligations.filter((entry: { obligationId: string }) => entry.obligationId === 'vulnerability-scan');
    expect(scans.map((entry: { due: string; profileRevision: number }) => [entry.due, entry.profileRevision])).toEqual([['2024-12-31', 2]]);
    const june = calendar.periods.find((period: { id: string }) => period.id === '2024-06');
    const july = calendar.periods.find((period: { id: string }) => period.id === '2024-07');
    expect(june.itemIds).not.toContain('CSIM:7.1.c');
    expect(july.itemIds).toContain('CSIM:7.1.c');
    const obligations = await getJson(`/api/v1/firms/${firmId}/obligations?year=2024`);
    expect(obligations.obligations.filter((entry: { obligationId: string }) => entry.obligationId === 'vulnerability-scan')).toHaveLength(1);
  });

  it('flags occurrences that need an answer in JSON and in the .ics (待確認)', async () => {
    const { fiscalYearEnd: _fiscalYearEnd, ...withoutFiscalYearEnd } = onlineBroker;
    expect((await saveProfile({ ...withoutFiscalYearEnd, mobileApps: undefined })).statusCode).toBe(200);
    const nextYear = new Date().getUTCFullYear() + 1;
    const calendar = await getJson(`/api/v1/firms/${firmId}/calendar?year=${nextYear}`);
    const appTest = calendar.obligations.find((entry: { obligationId: string }) => entry.obligationId === 'app-lab-test');
    expect(appTest).toMatchObject({ needsAnswer: true });
    expect(appTest.missingFields).toEqual(expect.arrayContaining(['mobileApps', 'fiscalYearEnd']));
    const ics = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/calendar.ics?year=${nextYear}`, headers: session.headers });
    const events = new ICAL.Component(ICAL.parse(ics.body)).getAllSubcomponents('vevent').map((event) => new ICAL.Event(event));
    const appEvent = events.find((event) => event.summary.includes('行動應用程式第三方實驗室'))!;
    expect(appEvent.summary.endsWith('（待確認）')).toBe(true);
    expect(appEvent.description).toContain('mobileApps');
  });
});

describe('profile revisions with an effective date', () => {
  it('records since when a profile holds, keeps the history in order and refuses future or out-of-order dates', async () => {
    const { signInWithMfa } = await import('../support/harness.ts');
    const firm = await buildFirm(runtime.db, '回溯證券');
    const ciso = await signInWithMfa(app, await buildUser(runtime.db, { memberships: [{ firmId: firm, role: 'ciso' }] }));
    const put = (profile: object, validFrom?: string) => app.inject({
      method: 'PUT', url: `/api/v1/firms/${firm}/profile${validFrom ? `?validFrom=${validFrom}` : ''}`, headers: ciso.headers, payload: profile,
    });
    const get = async (url: string) => (await app.inject({ method: 'GET', url: `/api/v1/firms/${firm}${url}`, headers: ciso.headers })).json();

    const first = await put(voiceOnly, '2020-01-01');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().validFrom).toBe('2019-12-31T16:00:00.000Z'); // 2020-01-01 00:00 in Taipei
    expect((await get('/profile?at=2021-06-30')).revision).toBe(1);
    const before = await get('/applicability?date=2021-06-30');
    expect(before.isProfileMissing).toBeFalsy();

    const tooEarly = await put(onlineBroker, '2019-05-01');
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.json().error.issues[0].where).toBe('validFrom');
    const future = await put(onlineBroker, `${new Date().getUTCFullYear() + 2}-01-01`);
    expect(future.statusCode).toBe(400);
    expect(future.json().error.issues[0].where).toBe('validFrom');
    expect((await get('/profile/history')).revisions).toHaveLength(1);

    expect((await put(onlineBroker, '2024-07-01')).statusCode).toBe(200);
    expect((await get('/profile?at=2024-06-30')).profile.name).toBe(voiceOnly.name);
    expect((await get('/profile?at=2024-07-02')).profile.name).toBe(onlineBroker.name);
  });
});
