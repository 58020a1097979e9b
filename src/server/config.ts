/** Configuration from the environment, read once. Every setting is documented in the README. */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  /** Where evidence files live (content-addressed). */
  blobDir: string;
  /** Public URL printed at start and used in links. */
  publicUrl: string;
  secureCookies: boolean;
  lockoutMinutes: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  passwordMinLength: number;
  maxUploadBytes: number;
  loginRateLimitPerMinute: number;
  seedDemo: boolean;
  logLevel: string;
  /** 32-byte key (hex) that encrypts TOTP secrets at rest; derived from the data dir when absent. */
  secretKey?: string;
}

function intFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`environment variable ${name} must be a non-negative number, got "${raw}"`);
  }
  return value;
}

export function readConfig(overrides: Partial<Config> = {}): Config {
  const port = intFrom('PORT', 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const dataDir = process.env.ANJIAN_DATA_DIR ?? './data';
  return {
    port,
    host,
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir,
    blobDir: process.env.ANJIAN_BLOB_DIR ?? `${dataDir}/blobs`,
    publicUrl: process.env.ANJIAN_PUBLIC_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    secureCookies: process.env.ANJIAN_SECURE_COOKIES === 'true',
    lockoutMinutes: intFrom('ANJIAN_LOCKOUT_MINUTES', 30),
    sessionIdleMinutes: intFrom('ANJIAN_SESSION_IDLE_MINUTES', 30),
    sessionAbsoluteHours: intFrom('ANJIAN_SESSION_ABSOLUTE_HOURS', 12),
    passwordMinLength: Math.max(6, intFrom('ANJIAN_PASSWORD_MIN_LENGTH', 12)),
    maxUploadBytes: intFrom('ANJIAN_MAX_UPLOAD_MB', 50) * 1024 * 1024,
    loginRateLimitPerMinute: intFrom('ANJIAN_LOGIN_RATE_LIMIT', 30),
    seedDemo: process.env.ANJIAN_DEMO !== 'false',
    logLevel: process.env.LOG_LEVEL ?? 'info',
    secretKey: process.env.ANJIAN_SECRET_KEY,
    ...overrides,
  };
}
