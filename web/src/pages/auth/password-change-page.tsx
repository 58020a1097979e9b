/** Forced password change: current, new and confirmation; policy problems come from the server's `issues`. */
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { AuthCard } from './auth-card.tsx';
import { useNextStep } from './use-next-step.ts';
import { SignOutLink } from './sign-out-link.tsx';
import { PasswordChangeForm } from './password-change-form.tsx';

export default function PasswordChangePage() {
  const { t } = useTranslation();
  const goToNextStep = useNextStep();
  return (
    <AuthCard title={t('passwordChange.title')}>
      <Typography.Paragraph>{t('passwordChange.hint')}</Typography.Paragraph>
      <PasswordChangeForm autoFocus block onChanged={(result) => goToNextStep(result.step)} />
      <SignOutLink />
    </AuthCard>
  );
}
