/**
 * Prints HTML to PDF with Debian's Chromium driven by playwright-core (never a downloaded browser).
 * One browser per process, launched on first use and closed by `closePdfPrinter` (the server's
 * onClose hook, the CLI when it is done). The page is loaded from a private origin whose only other
 * resources are the Noto Sans TC font files of @fontsource/noto-sans-tc, so Chinese renders the same
 * on a machine with no CJK system fonts; every other request is refused.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { AppError } from '../errors.ts';

export const CHROMIUM_PATH = process.env.ANJIAN_CHROMIUM ?? '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** The whole print (page, fonts, PDF) must finish within this time. */
export const PRINT_TIMEOUT_MS = 60_000;
/** Pages printed at once by one process; more wait their turn. */
const MAX_CONCURRENT_PRINTS = 2;

const ORIGIN = 'http://report.anjian.invalid';
const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-tc/package.json')), 'files');
const FONT_FILE = /^noto-sans-tc-\d+-(400|700)-normal\.woff2$/;

let browser: Promise<Browser> | null = null;
let running = 0;
const waiting: (() => void)[] = [];

function launch(): Promise<Browser> {
  browser ??= chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: LAUNCH_ARGS,
    timeout: 30_000,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  }).then((launched) => {
    launched.on('disconnected', () => {
      browser = null;
    });
    return launched;
  }).catch((error: unknown) => {
    browser = null;
    throw new AppError('INTERNAL', `無法啟動 Chromium（${CHROMIUM_PATH}）產生 PDF`, {
      messageEn: `cannot start Chromium at ${CHROMIUM_PATH} to print the PDF: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    });
  });
  return browser;
}

/** Closes the shared browser, if one was launched. */
export async function closePdfPrinter(): Promise<void> {
  const current = browser;
  browser = null;
  if (current) await (await current.catch(() => null))?.close();
}

async function takeTurn(): Promise<() => void> {
  if (running >= MAX_CONCURRENT_PRINTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    waiting.shift()?.();
  };
}

/** The @font-face rules of Noto Sans TC (regular and bold), pointing at the private origin. */
export async function buildFontCss(): Promise<string> {
  const root = dirname(FONT_DIR);
  const css = await Promise.all(['400.css', '700.css'].map((name) => readFile(join(root, name), 'utf8')));
  // Only the woff2 files are served; drop the woff fallbacks so nothing else is asked for.
  return css.join('\n')
    .replaceAll(/, url\(\.\/files\/[^)]+\.woff\) format\('woff'\)/g, '')
    .replaceAll('url(./files/', `url(${ORIGIN}/fonts/`);
}

export interface PrintOptions {
  /** Printed at the foot of every page beside the page number (ASCII: footers cannot load web fonts). */
  footerText?: string;
  landscape?: boolean;
}

function escapeFooter(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '').replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Prints a complete HTML document to a PDF buffer. */
export async function printPdf(html: string, options: PrintOptions = {}): Promise<Buffer> {
  const release = await takeTurn();
  let timer: NodeJS.Timeout | undefined;
  const context = await (await launch()).newContext({ javaScriptEnabled: true, offline: false });
  try {
    const work = (async () => {
      const page = await context.newPage();
      page.setDefaultTimeout(PRINT_TIMEOUT_MS);
      await page.route('**/*', async (route) => {
        const url = new URL(route.request().url());
        if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
        if (url.pathname === '/report.html') return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
        const file = url.pathname.startsWith('/fonts/') ? url.pathname.slice('/fonts/'.length) : '';
        if (FONT_FILE.test(file)) {
          return route.fulfill({ status: 200, contentType: 'font/woff2', body: await readFile(join(FONT_DIR, file)) });
        }
        return route.fulfill({ status: 404, body: '' });
      });
      await page.goto(`${ORIGIN}/report.html`, { waitUntil: 'load' });
      await page.evaluate(async () => {
        await document.fonts.ready;
      });
      const footer = escapeFooter(options.footerText ?? '');
      return page.pdf({
        format: 'A4',
        landscape: options.landscape ?? false,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="width:100%;font-size:8px;color:#555;padding:0 12mm;display:flex;justify-content:space-between;">
          <span>${footer}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
        margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
      });
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('INTERNAL', `產生 PDF 逾時（${PRINT_TIMEOUT_MS / 1000} 秒）`, { messageEn: `printing the PDF took longer than ${PRINT_TIMEOUT_MS / 1000} s` })), PRINT_TIMEOUT_MS);
    });
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    await context.close().catch(() => undefined);
    release();
  }
}
