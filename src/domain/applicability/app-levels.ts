/**
 * MAS items (行動應用 App 基本資安檢測基準) bind a firm through its investor mobile apps: an item applies
 * when at least one of the firm's apps is tested at a level (L1, L2, L3) the item's row marks, and an F
 * (加測) item only when such an app is also tested on the F items (`fTested`). No apps: not applicable;
 * apps not answered (or `fTested` not answered for an F item): needs an answer. Reasons name the apps.
 */
import type { Levels } from '../catalog/schema.ts';
import type { FirmProfile } from '../firms/profile.ts';

export interface AppLevelOutcome {
  verdict: 'applies' | 'not_applicable' | 'needs_answer';
  reason: string;
  reasonEn: string;
  missingFields: string[];
}

const APP_LEVELS = ['L1', 'L2', 'L3'] as const;

type MobileApp = NonNullable<FirmProfile['mobileApps']>[number];

function describeApps(apps: readonly MobileApp[]): { zh: string; en: string } {
  return {
    zh: apps.map((app) => `${app.name}（${app.level}${app.fTested ? '+F' : ''}）`).join('、'),
    en: apps.map((app) => `${app.name} (${app.level}${app.fTested ? '+F' : ''})`).join(', '),
  };
}

/** Evaluate one MAS row's level marks against the firm's apps. */
export function evaluateAppLevels(levels: Levels, profile: FirmProfile): AppLevelOutcome {
  const marked = APP_LEVELS.filter((level) => levels[level]);
  const isFOnly = marked.length === 0 && levels.F;
  // "適用 L2、L3 檢測分類之 App" / "Applies to apps tested at L2/L3".
  const scopeZh = isFOnly ? '適用加測 F 項之 App' : `適用 ${marked.join('、')} 檢測分類之 App`;
  const scopeEn = isFOnly ? 'Applies to apps tested on the F (optional extra) items' : `Applies to apps tested at ${marked.join('/')}`;
  const outcome = (verdict: AppLevelOutcome['verdict'], zh: string, en: string, missingFields: string[] = []): AppLevelOutcome => ({
    verdict, reason: `${scopeZh} — ${zh}`, reasonEn: `${scopeEn} — ${en}`, missingFields,
  });
  const apps = profile.mobileApps;
  if (apps === undefined) {
    return outcome('needs_answer', '尚未填答是否提供投資人行動應用程式及其檢測分類（mobileApps）', 'not yet answered: the firm’s investor mobile apps and their levels (mobileApps)', ['mobileApps']);
  }
  if (apps.length === 0) {
    return outcome('not_applicable', '本公司未提供投資人行動應用程式', 'this firm offers no investor mobile app');
  }
  if (isFOnly) {
    const tested = apps.filter((app) => app.fTested === true);
    if (tested.length > 0) {
      const named = describeApps(tested);
      return outcome('applies', `本公司 App：${named.zh}`, `this firm’s apps: ${named.en}`);
    }
    const unknown = apps.filter((app) => app.fTested === undefined);
    if (unknown.length > 0) {
      const named = describeApps(unknown);
      return outcome('needs_answer', `尚未填答 App 是否加測 F 項：${named.zh}（mobileApps[].fTested）`, `not yet answered whether these apps are tested on F items: ${named.en} (mobileApps[].fTested)`, ['mobileApps[].fTested']);
    }
    const named = describeApps(apps);
    return outcome('not_applicable', `本公司 App 均未加測 F 項：${named.zh}`, `none of this firm’s apps is tested on F items: ${named.en}`);
  }
  const matching = apps.filter((app) => levels[app.level]);
  if (matching.length > 0) {
    const named = describeApps(matching);
    return outcome('applies', `本公司 App：${named.zh}`, `this firm’s apps: ${named.en}`);
  }
  const named = describeApps(apps);
  return outcome('not_applicable', `本公司 App 之檢測分類均不適用：${named.zh}`, `none of this firm’s apps is tested at those levels: ${named.en}`);
}
