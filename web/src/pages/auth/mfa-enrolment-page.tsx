/** TOTP enrolment: QR code and secret, a code to confirm, then the 10 recovery codes to save. */
import { useEffect, useRef, useState } from 'react';
import { Flex, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { confirmMfaEnrolment, startMfaEnrolment, type SessionStep } from '../../api/client.ts';
import { ErrorAlert } from '../../components/page-states.tsx';
import { AuthCard } from './auth-card.tsx';
import { useNextStep } from './use-next-step.ts';
import { SignOutLink } from './sign-out-link.tsx';
import { normaliseTotpCode, RecoveryCodesStep, TotpSecretStep, type Enrolment } from './totp-enrolment-steps.tsx';

export default function MfaEnrolmentPage() {
  const { t } = useTranslation();
  const goToNextStep = useNextStep();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recovery, setRecovery] = useState<{ codes: string[]; step: SessionStep } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const hasStarted = useRef(false);

  useEffect(() => {
    // Once per visit: each call makes a new secret, so a second call would void the QR code shown.
    if (hasStarted.current) {
      return;
    }
    hasStarted.current = true;
    startMfaEnrolment().then(setEnrolment, setError);
  }, []);

  const onConfirm = async (values: { code: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      const result = await confirmMfaEnrolment(normaliseTotpCode(values.code));
      setRecovery({ codes: result.recoveryCodes, step: result.step });
    } catch (caught) {
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  if (recovery) {
    return (
      <AuthCard title={t('enrol.recoveryTitle')} width={480}>
        <RecoveryCodesStep block codes={recovery.codes} savedLabel={t('enrol.saved')} onSaved={() => void goToNextStep(recovery.step)} />
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('enrol.title')} width={480}>
      <Typography.Paragraph>{t('enrol.hint')}</Typography.Paragraph>
      {error ? <div style={{ marginBottom: 16 }}><ErrorAlert error={error} /></div> : null}
      {enrolment ? (
        <TotpSecretStep block enrolment={enrolment} submitTestId="enrol-submit" isSubmitting={isSubmitting} onConfirm={(values) => void onConfirm(values)} />
      ) : error ? null : <Flex justify="center"><Spin /></Flex>}
      <SignOutLink />
    </AuthCard>
  );
}
