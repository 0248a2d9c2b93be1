/** The recovery codes as a plain-text file: a title line, when they were made, then one code a line (CRLF, so
 * every editor shows the lines). */
export function recoveryText(codes: string[], title: string, made: string): string {
  return [title, made, '', ...codes, ''].join('\r\n');
}

/** A file name for the codes: habeas-recovery-codes-YYYY-MM-DD.txt (the local day). */
export function recoveryFileName(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `habeas-recovery-codes-${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}.txt`;
}

/** Saves text as a .txt download (UTF-8 with BOM so Windows editors read Chinese titles right). */
export function downloadText(text: string, fileName: string): void {
  const blob = new Blob(['\ufeff', text], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Prints only the codes: a hidden frame holding them (text nodes, no markup from the codes, no script) is printed,
 * then removed, so the rest of the page (names, cases) never reaches the printer.
 */
export function printText(title: string, lines: string[]): void {
  const frame = document.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  Object.assign(frame.style, { position: 'fixed', width: '0', height: '0', border: '0', right: '0', bottom: '0' });
  document.body.appendChild(frame);
  const doc = frame.contentDocument;
  const win = frame.contentWindow;
  if (!doc || !win) {
    frame.remove();
    return;
  }
  doc.title = title;
  const h = doc.createElement('h1');
  h.textContent = title;
  const pre = doc.createElement('pre');
  pre.textContent = lines.join('\n');
  pre.style.fontSize = '14pt';
  doc.body.append(h, pre);
  win.focus();
  win.print();
  setTimeout(() => frame.remove(), 1000);
}
