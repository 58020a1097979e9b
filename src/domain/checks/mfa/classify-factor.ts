/**
 * Classifies one login factor name (zh-TW or English) as knowledge, possession or inherence, the three
 * kinds of ETECH 第九條 一、二、三 and CSIM (112) 7.(1) d. (a)(b)(c). Patterns are tried in order, so the
 * possession names that contain 密碼 (密碼產生器, 密碼卡) are matched before plain 密碼.
 */

export type FactorKind = 'knowledge' | 'possession' | 'inherence';

interface FactorPattern {
  kind: FactorKind;
  pattern: RegExp;
}

const FACTOR_PATTERNS: FactorPattern[] = [
  // Possession first: device- and token-like names, some of which contain "密碼" or "password".
  { kind: 'possession', pattern: /密碼產生器|密碼卡|動態密碼|一次性密碼|\botp\b|one[- ]?time[- ]?pass(word|code)?|totp|hotp/i },
  { kind: 'possession', pattern: /簡訊|\bsms\b|text message|手機(驗證|門號|號碼)?|推播|push/i },
  { kind: 'possession', pattern: /憑證|certificate|\bcert\b|\bpki\b|晶片卡|ic ?卡|smart ?card|自然人憑證/i },
  { kind: 'possession', pattern: /綁定|bound device|device binding|trusted device|registered device|裝置|device|行動裝置|電腦/i },
  { kind: 'possession', pattern: /hardware token|security key|fido|yubikey|token|載具|authenticator|驗證器|app 驗證/i },
  // Inherence.
  { kind: 'inherence', pattern: /生物(辨識|特徵)|biometric|指紋|fingerprint|touch ?id|臉部|人臉|臉孔|\bface( id)?\b|虹膜|iris|聲音|聲紋|voice|掌紋|palm|靜脈|vein|簽名|\bsignature\b/i },
  // Knowledge.
  { kind: 'knowledge', pattern: /固定密碼|密碼|password|passphrase|\bpin\b|pin ?碼|圖形鎖|圖形密碼|pattern( lock)?|手勢|gesture|安全提問|安全問題|security question|密語/i },
];

/** The kind of one factor, or undefined when the name is not recognised (reported as "unknown"). */
export function classifyFactor(name: string): FactorKind | undefined {
  const trimmed = name.trim();
  if (trimmed === '') {
    return undefined;
  }
  // E-mail codes prove control of a mailbox, not of a device the firm bound: not classified.
  if (/e-?mail|電子郵件|電子信箱/i.test(trimmed) && !/憑證|certificate/i.test(trimmed)) {
    return undefined;
  }
  for (const { kind, pattern } of FACTOR_PATTERNS) {
    if (pattern.test(trimmed)) {
      return kind;
    }
  }
  return undefined;
}
