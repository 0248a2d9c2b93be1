import { useEffect, useRef } from 'react';

/** Renders the otpauth URI to a canvas locally: the secret never leaves the page. The QR library is fetched
 * when an enrolment shows it, not with the sign-in form (issue 24). */
export function QrCode({ value, label }: { value: string; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then(({ default: QRCode }) => {
      if (live && ref.current) void QRCode.toCanvas(ref.current, value, { width: 220, margin: 2, errorCorrectionLevel: 'M' });
    });
    return () => {
      live = false;
    };
  }, [value]);
  return <canvas ref={ref} role="img" aria-label={label} width={220} height={220} style={{ background: '#fff' }} />;
}
