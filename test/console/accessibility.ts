import type { Page } from 'playwright-core';

// These checks run inside the page (page.evaluate); the repository's TypeScript has no DOM lib,
// so the few browser names used are declared here, for this module only.
declare const document: any;
declare const getComputedStyle: (element: any) => any;
declare const NodeFilter: { SHOW_TEXT: number };
type Element = any;

export interface AccessibilityFindings {
  /** Form controls a screen reader would announce without a name. */
  unlabelled: string[];
  /** Text whose contrast with its background is under WCAG AA (4.5:1, 3:1 for large text). */
  lowContrast: string[];
}

/**
 * Basic checks on the page as rendered: every form control has an accessible name and every
 * visible text meets AA contrast against the first opaque background behind it.
 */
export function checkAccessibility(page: Page): Promise<AccessibilityFindings> {
  return page.evaluate(() => {
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${(element.textContent ?? '').trim().slice(0, 40)}"`;

    const unlabelled = [...document.querySelectorAll('input, select, textarea, button')]
      .filter((element) => {
        const control = element;
        if (control.type === 'hidden') return false;
        const named =
          (control.labels?.length ?? 0) > 0 ||
          control.getAttribute('aria-label') ||
          control.getAttribute('aria-labelledby') ||
          (element.tagName === 'BUTTON' && element.textContent?.trim());
        return !named;
      })
      .map(describe);

    const rgb = (colour: string) => {
      const parts = colour.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 1];
      return { r: parts[0] ?? 0, g: parts[1] ?? 0, b: parts[2] ?? 0, a: parts[3] ?? 1 };
    };
    const luminance = ({ r, g, b }: { r: number; g: number; b: number }) => {
      const channel = (value: number) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element: Element | null): string => {
      for (let at = element; at; at = at.parentElement) {
        const colour = getComputedStyle(at).backgroundColor;
        if (rgb(colour).a > 0.5) return colour;
      }
      return 'rgb(255, 255, 255)';
    };

    const lowContrast: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || !node.textContent?.trim()) continue;
      if (element.closest('.visually-hidden, .skip-link, .uplot, option, noscript')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(element);
      const fore = luminance(rgb(style.color));
      const back = luminance(rgb(background(element)));
      const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) lowContrast.push(`${describe(element)} ${ratio.toFixed(2)}:1`);
    }
    return { unlabelled, lowContrast: [...new Set(lowContrast)] };
  });
}
