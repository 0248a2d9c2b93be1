import { useEffect, useRef } from 'react';
import QRCode from 'qrcode';

/** Renders the otpauth URI to a canvas locally: the secret never leaves the page. */
export function QrCode({ value, label }: { value: string; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) void QRCode.toCanvas(ref.current, value, { width: 220, margin: 2, errorCorrectionLevel: 'M' });
  }, [value]);
  return <canvas ref={ref} role="img" aria-label={label} width={220} height={220} style={{ background: '#fff' }} />;
}
