/**
 * First start on an empty database: creates the first platform admin (printed once with a one-time
 * password) and, unless ANJIAN_DEMO=false, a demo firm with a profile and users of every role.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from './db/client.ts';
import { inTenantTransaction, systemContext, type Role } from './context.ts';
import { createUser, type CreatedUser } from './auth/auth-service.ts';
import { appendAuditEvent } from './audit/audit-log.ts';

export const DEMO_PROFILE = {
  name: '範例證券股份有限公司',
  registrationNumber: 'DEMO-0001',
  paidInCapitalNtd: 12_000_000_000,
  fiscalYearEnd: '12-31',
  businessLines: { brokerage: true, proprietary: true, underwriting: true },
  channels: { internet: true, voice: true, traditional: true, dma: false, colocation: false },
  brokerage: true,
  publicCompany: true,
  foreign: false,
  shares: { internetDmaTurnoverPct: 55, brokerageMarketSharePct: 1.2, naturalPersonClientPct: 85 },
  website: true,
  apiServices: false,
  cloud: { user: true, provider: false, critical: false },
  socialMedia: true,
  mobileApps: [{ name: '行動下單', level: 'L2', fTested: false }],
  mobileDevices: true,
  byod: false,
  iot: true,
  videoIdentityVerification: false,
  internationalTransfer: false,
};

export interface BootstrapResult {
  admin: CreatedUser | null;
  demoFirmId: string | null;
  demoUsers: (CreatedUser & { role: Role })[];
}

export async function bootstrap(db: Database, options: { adminEmail?: string; seedDemo: boolean }): Promise<BootstrapResult> {
  const existing = await db.query<{ count: string }>('SELECT count(*)::text AS count FROM users');
  if (Number(existing.rows[0].count) > 0) {
    return { admin: null, demoFirmId: null, demoUsers: [] };
  }
  const context = systemContext('system');
  return inTenantTransaction(db, '*', async (tx) => {
    const admin = await createUser(tx, context, {
      email: options.adminEmail ?? process.env.ANJIAN_ADMIN_EMAIL ?? 'admin@anjian.local',
      displayName: '平台管理員',
      isPlatformAdmin: true,
    });
    if (!options.seedDemo) return { admin, demoFirmId: null, demoUsers: [] };
    const firmId = randomUUID();
    await tx.query('INSERT INTO firms (id, name, registration_number) VALUES ($1, $2, $3)', [firmId, DEMO_PROFILE.name, DEMO_PROFILE.registrationNumber]);
    await tx.query('INSERT INTO firm_settings (firm_id) VALUES ($1)', [firmId]);
    // The demo firm's facts hold since 2020, so its past calendar and applicability read as answered.
    await tx.query("INSERT INTO firm_profiles (firm_id, revision, profile, valid_from) VALUES ($1, 1, $2, '2020-01-01T00:00:00+08:00')", [firmId, JSON.stringify(DEMO_PROFILE)]);
    await appendAuditEvent(tx, context, { firmId, entity: 'firm', entityId: firmId, action: 'firm.created', after: { name: DEMO_PROFILE.name, demo: true } });
    const demoUsers: BootstrapResult['demoUsers'] = [];
    const people: [string, string, Role][] = [
      ['ciso@demo.anjian.local', '資安長 陳', 'ciso'],
      ['assessor@demo.anjian.local', '查核人員 林', 'assessor'],
      ['reviewer@demo.anjian.local', '覆核主管 王', 'reviewer'],
      ['auditor@demo.anjian.local', '稽核 張', 'auditor'],
    ];
    for (const [email, displayName, role] of people) {
      demoUsers.push({ ...(await createUser(tx, context, { email, displayName, memberships: [{ firmId, role }] })), role });
    }
    return { admin, demoFirmId: firmId, demoUsers };
  });
}
