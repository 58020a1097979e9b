/**
 * `anjian user …`: account administration from the server's shell (the first administrator, a locked
 * account, a lost second factor, a forgotten password). Same service functions as the API, audited
 * with via = 'cli'.
 */
import { Command } from 'commander';
import { createUser, resetMfa, resetPassword, unlockUser } from '../server/auth/auth-service.ts';
import { inTenantTransaction, ROLES, systemContext, type Role } from '../server/context.ts';
import { oneOf, UsageError, type CliContext } from './cli-context.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+$/;

function checkEmail(argument: string, email: string): string {
  if (!EMAIL_PATTERN.test(email.trim())) {
    throw new UsageError(argument, `電子郵件格式錯誤：${email}`, `not an e-mail address: ${email}`);
  }
  return email.trim();
}

interface CreateOptions {
  email: string;
  name: string;
  platformAdmin?: boolean;
  firm?: string;
  role?: Role;
  json?: boolean;
}

async function createCommand(context: CliContext, options: CreateOptions) {
  const email = checkEmail('--email', options.email);
  if (options.name.trim().length === 0) throw new UsageError('--name', '姓名不可空白', 'the name is empty');
  if ((options.firm === undefined) !== (options.role === undefined)) {
    const missing = options.firm === undefined ? '--firm' : '--role';
    throw new UsageError(missing, '--firm 與 --role 必須一起指定', '--firm and --role go together');
  }
  if (options.firm !== undefined && !UUID_PATTERN.test(options.firm)) {
    throw new UsageError('--firm', `券商編號應為 UUID：${options.firm}`, `the firm id is a UUID, got ${options.firm}`);
  }
  const { db } = await context.runtime();
  const created = await inTenantTransaction(db, '*', async (tx) => {
    if (options.firm !== undefined) {
      const firm = await tx.query('SELECT 1 FROM firms WHERE id = $1', [options.firm]);
      if (firm.rows.length === 0) throw new UsageError('--firm', `找不到券商 ${options.firm}`, `no firm ${options.firm}`);
    }
    return createUser(tx, systemContext('cli'), {
      email,
      displayName: options.name.trim(),
      isPlatformAdmin: options.platformAdmin === true,
      memberships: options.firm !== undefined && options.role !== undefined ? [{ firmId: options.firm, role: options.role }] : [],
    });
  });
  if (options.json) {
    context.printJson({ id: created.id, email: created.email, initialPassword: created.initialPassword, mustChangePassword: true });
    return;
  }
  context.print([
    `已建立帳號 created ${created.email}（${created.id}）`,
    `一次性密碼 one-time password: ${created.initialPassword}`,
    '首次登入時必須變更密碼 / it must be changed at first sign-in.',
  ].join('\n'));
}

async function simpleCommand(
  context: CliContext,
  emailArgument: string,
  options: { json?: boolean },
  action: 'unlock' | 'reset-mfa' | 'reset-password',
) {
  const email = checkEmail('EMAIL', emailArgument);
  const { db } = await context.runtime();
  const cli = systemContext('cli');
  const password = await inTenantTransaction(db, '*', async (tx) => {
    switch (action) {
      case 'unlock':
        await unlockUser(tx, cli, email);
        return null;
      case 'reset-mfa':
        await resetMfa(tx, cli, email);
        return null;
      case 'reset-password':
        return resetPassword(tx, cli, email);
    }
  });
  if (options.json) {
    context.printJson({ email: email.toLowerCase(), action, ...(password ? { initialPassword: password, mustChangePassword: true } : {}) });
    return;
  }
  const messages = {
    unlock: `已解鎖 unlocked ${email}`,
    'reset-mfa': `已重設雙因子驗證 reset the second factor of ${email}；下次登入須重新設定 / they enrol again at next sign-in`,
    'reset-password': `已重設密碼 reset the password of ${email}\n一次性密碼 one-time password: ${password}\n首次登入時必須變更密碼 / it must be changed at first sign-in.`,
  };
  context.print(messages[action]);
}

export function registerUserCommands(program: Command, context: CliContext): void {
  const user = program.command('user').description('帳號管理 / user accounts');

  user
    .command('create')
    .description('建立帳號並印出一次性密碼 / create an account and print its one-time password')
    .requiredOption('--email <E>', '電子郵件 / e-mail')
    .requiredOption('--name <N>', '姓名 / display name')
    .option('--platform-admin', '平台管理員 / platform administrator')
    .option('--firm <ID>', '券商編號 / firm id')
    .option('--role <R>', `角色 role (${ROLES.join(', ')})`, oneOf(ROLES))
    .option('--json', '輸出 JSON / print JSON')
    .action((options: CreateOptions) => createCommand(context, options));

  for (const [name, description] of [
    ['unlock', '解除鎖定 / unlock an account locked after failed sign-ins'],
    ['reset-mfa', '重設雙因子驗證 / reset the second factor'],
    ['reset-password', '重設密碼並印出一次性密碼 / reset the password and print a one-time password'],
  ] as const) {
    user
      .command(name)
      .description(description)
      .argument('<EMAIL>', '電子郵件 / e-mail')
      .option('--json', '輸出 JSON / print JSON')
      .action((email: string, options: { json?: boolean }) => simpleCommand(context, email, options, name));
  }
}
