/**
 * The automated checks by the name users type (`anjian check firewall …`, `/checks/firewall/runs`).
 * Each check module is loaded on first use, so the CLI starts fast and one broken check does not stop
 * the others. Pure: the caller hands in what a check needs from the catalog (the MAS items for
 * app-report); nothing here reads files or the network.
 */
import type { CatalogItem, CatalogVersion } from '../catalog/resolve.ts';
import { CheckInputError, type CheckDefinition, type CheckInput, type CheckOptions, type CheckResult } from './types.ts';

export const CHECK_NAMES = [
  'tls',
  'firewall',
  'accounts',
  'password-policy',
  'mfa',
  'eol',
  'logs',
  'backup',
  'training',
  'cadence',
  'app-report',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** One MAS 3.2 App test-report check item as the app-report check reads it. */
export interface MasCheckItem {
  id: string;
  /** "1".."42" */
  path: string;
  requirementCode?: string;
  category?: string;
  text: string | null;
  levels?: Record<string, boolean | undefined>;
}

/** What some checks need from outside the domain (the catalog). */
export interface CheckContext {
  masItems?: MasCheckItem[];
}

/** Checks whose targets are live endpoints (host:port) rather than files; they may be scheduled. */
export const LIVE_TARGET_CHECKS: readonly CheckName[] = ['tls'];

type ModuleExports = Record<string, unknown>;

interface RegistryEntry {
  exportName: string;
  importModule: () => Promise<ModuleExports>;
  needsMasItems?: boolean;
}

const ENTRIES: Record<CheckName, RegistryEntry> = {
  tls: { exportName: 'tlsCheck', importModule: () => import('./tls/index.ts') as Promise<ModuleExports> },
  firewall: { exportName: 'firewallCheck', importModule: () => import('./firewall/index.ts') as Promise<ModuleExports> },
  accounts: { exportName: 'accountsCheck', importModule: () => import('./accounts/index.ts') as Promise<ModuleExports> },
  'password-policy': { exportName: 'passwordPolicyCheck', importModule: () => import('./password-policy/index.ts') as Promise<ModuleExports> },
  mfa: { exportName: 'mfaCheck', importModule: () => import('./mfa/index.ts') as Promise<ModuleExports> },
  eol: { exportName: 'eolCheck', importModule: () => import('./eol/index.ts') as Promise<ModuleExports> },
  logs: { exportName: 'logsCheck', importModule: () => import('./logs/index.ts') as Promise<ModuleExports> },
  backup: { exportName: 'backupCheck', importModule: () => import('./backup/index.ts') as Promise<ModuleExports> },
  training: { exportName: 'trainingCheck', importModule: () => import('./training/index.ts') as Promise<ModuleExports> },
  cadence: { exportName: 'cadenceCheck', importModule: () => import('./cadence/index.ts') as Promise<ModuleExports> },
  'app-report': {
    exportName: 'appReportCheck',
    importModule: () => import('./app-report/index.ts') as Promise<ModuleExports>,
    needsMasItems: true,
  },
};

export function isCheckName(name: string): name is CheckName {
  return (CHECK_NAMES as readonly string[]).includes(name);
}

/** True when the check cannot run without the MAS items from the catalog. */
export function needsMasItems(name: CheckName): boolean {
  return ENTRIES[name].needsMasItems === true;
}

export class UnknownCheckError extends Error {
  constructor(readonly checkName: string) {
    super(`未知的檢查「${checkName}」；可用：${CHECK_NAMES.join(', ')} / unknown check "${checkName}"; available: ${CHECK_NAMES.join(', ')}`);
    this.name = 'UnknownCheckError';
  }
}

/** The check is registered but its module is missing or does not export a check definition. */
export class CheckUnavailableError extends Error {
  constructor(
    readonly checkName: string,
    reason: string,
  ) {
    super(`檢查「${checkName}」目前無法使用 / check "${checkName}" is unavailable: ${reason}`);
    this.name = 'CheckUnavailableError';
  }
}

function isCheckDefinition(value: unknown): value is CheckDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CheckDefinition).run === 'function' &&
    typeof (value as CheckDefinition).id === 'string'
  );
}

/**
 * Hands the MAS items to app-report. The module may export a factory (`createAppReportCheck(items)`)
 * or a definition that reads `options.masItems`; both are accepted.
 */
function bindMasItems(module: ModuleExports, definition: CheckDefinition | undefined, masItems: MasCheckItem[]): CheckDefinition {
  const factory = module.createAppReportCheck;
  if (typeof factory === 'function') {
    const created: unknown = (factory as (items: MasCheckItem[]) => unknown)(masItems);
    if (isCheckDefinition(created)) {
      return created;
    }
  }
  if (!definition) {
    throw new CheckUnavailableError('app-report', 'no appReportCheck export');
  }
  return {
    ...definition,
    run: (inputs, options) => definition.run(inputs, { masItems, ...options }),
  };
}

/** Loads one check by name. Throws {@link UnknownCheckError} or {@link CheckUnavailableError}. */
export async function loadCheck(name: string, context: CheckContext = {}): Promise<CheckDefinition> {
  if (!isCheckName(name)) {
    throw new UnknownCheckError(name);
  }
  const entry = ENTRIES[name];
  let module: ModuleExports;
  try {
    module = await entry.importModule();
  } catch (error) {
    throw new CheckUnavailableError(name, error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
  const exported = module[entry.exportName];
  const definition = isCheckDefinition(exported) ? exported : undefined;
  if (entry.needsMasItems) {
    if (!context.masItems || context.masItems.length === 0) {
      throw new CheckUnavailableError(name, 'MAS items were not provided');
    }
    return bindMasItems(module, definition, context.masItems);
  }
  if (!definition) {
    throw new CheckUnavailableError(name, `module does not export ${entry.exportName}`);
  }
  return definition;
}

export interface CheckSummary {
  name: CheckName;
  available: boolean;
  title?: string;
  titleEn?: string;
  version?: string;
  inputKinds?: string[];
  items?: string[];
  isLiveTarget: boolean;
  reason?: string;
}

/** Every registered check with its title and items, or why it cannot be used now. */
export async function listChecks(context: CheckContext = {}): Promise<CheckSummary[]> {
  return Promise.all(
    CHECK_NAMES.map(async (name): Promise<CheckSummary> => {
      const isLiveTarget = LIVE_TARGET_CHECKS.includes(name);
      try {
        const definition = await loadCheck(name, context);
        return {
          name,
          available: true,
          title: definition.title,
          titleEn: definition.titleEn,
          version: definition.version,
          inputKinds: definition.inputKinds,
          items: definition.items,
          isLiveTarget,
        };
      } catch (error) {
        return { name, available: false, isLiveTarget, reason: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

export class CheckTimeoutError extends Error {
  constructor(
    readonly checkName: string,
    readonly timeoutMs: number,
  ) {
    super(`檢查「${checkName}」超過時間上限 ${Math.round(timeoutMs / 1000)} 秒 / check "${checkName}" exceeded its ${Math.round(timeoutMs / 1000)} s time limit`);
    this.name = 'CheckTimeoutError';
  }
}

/**
 * A check run needs at least one input: a result over nothing ("pass, 0 targets") would look like
 * evidence of compliance. Throws {@link CheckInputError} naming what to give.
 */
export function assertHasInputs(definition: Pick<CheckDefinition, 'id' | 'inputKinds'>, inputs: CheckInput[]): void {
  if (inputs.length > 0) {
    return;
  }
  const isLive = (LIVE_TARGET_CHECKS as readonly string[]).includes(definition.id);
  const what = isLive ? '檔案或 host:port 目標' : '檔案';
  const whatEn = isLive ? 'file or host:port target' : 'file';
  throw new CheckInputError(
    `檢查「${definition.id}」至少需要一個${what}（${definition.inputKinds.join(', ')}），未提供任何輸入 / check "${definition.id}" needs at least one ${whatEn} (${definition.inputKinds.join(', ')}); none was given`,
    'inputs',
  );
}

/**
 * Runs a check with a time limit. The check's own work is not interrupted (JavaScript cannot stop a
 * running promise), but the caller gets a {@link CheckTimeoutError} and can exit or answer.
 */
export async function runCheckWithTimeout(
  definition: CheckDefinition,
  inputs: CheckInput[],
  options: CheckOptions,
  timeoutMs: number,
): Promise<CheckResult> {
  assertHasInputs(definition, inputs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(definition.id, timeoutMs)), timeoutMs);
  });
  try {
    const result = await Promise.race([definition.run(inputs, options), timeout]);
    if (!result || typeof result !== 'object' || !Array.isArray(result.findings)) {
      throw new CheckInputError(`檢查「${definition.id}」未回傳結果 / check returned no result`);
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Process exit code for a result: 0 pass, 1 findings (fail or warning), 2 when the check could not judge. */
export function exitCodeForResult(result: CheckResult): 0 | 1 | 2 {
  switch (result.status) {
    case 'pass':
      return 0;
    case 'fail':
    case 'warning':
      return 1;
    case 'error':
      return 2;
    default: {
      const exhaustive: never = result.status;
      return exhaustive;
    }
  }
}

/** The MAS 3.2 items (paths "1".."42") from a loaded catalog, in document order. */
export function selectMasItems(catalog: CatalogVersion[], version = '3.2'): MasCheckItem[] {
  const mas = catalog.find((entry) => entry.document === 'MAS' && entry.version === version);
  return (mas?.items ?? [])
    .filter((item) => /^\d+$/.test(item.path))
    .map((item) => ({
      id: item.id,
      path: item.path,
      requirementCode: item.requirementCode,
      category: item.category,
      text: item.text,
      levels: item.levels as MasCheckItem['levels'],
    }));
}

/**
 * Finds a cited item: `CSIM@112:7.1.d` in that version, `CSIM:8.3.e` in the newest version that has
 * the path. Undefined when the catalog has no such item.
 */
export function findCitedItem(catalog: CatalogVersion[], id: string): CatalogItem | undefined {
  const match = /^([A-Z]+)(?:@([0-9A-Za-z.-]+))?:(.+)$/.exec(id.trim());
  if (!match) {
    return undefined;
  }
  const [, document, version, path] = match;
  const versions = catalog
    .filter((entry) => entry.document === document && (version === undefined || entry.version === version))
    .sort((a, b) => b.date.localeCompare(a.date));
  for (const entry of versions) {
    const item = entry.items.find((candidate) => candidate.path === path);
    if (item) {
      return item;
    }
  }
  return undefined;
}

const BINARY_NAME = /\.(xlsx|xlsm|xls|der|p12|pfx|zip)$/i;

/** Text of a file as Windows tools write it: UTF-8 (with or without BOM) or UTF-16 with a BOM. */
export function decodeCheckText(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * A file as a check input: spreadsheets, archives and DER certificates as bytes, everything else as
 * text (UTF-8 or UTF-16); a .cer/.crt holding PEM is text, one holding DER is bytes.
 */
export function buildCheckInput(name: string, bytes: Uint8Array): CheckInput {
  if (BINARY_NAME.test(name) || isZip(bytes)) {
    return { name, bytes };
  }
  const text = decodeCheckText(bytes);
  return text === undefined ? { name, bytes } : { name, text };
}
