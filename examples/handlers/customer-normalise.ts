import { z } from 'zod';
import { defineHandler, PermanentError } from '../../handlers/define';

/** One row of a CRM export as csv-items.ts loads it: every field a string, as the file had it. */
const rawRow = z.record(z.string(), z.string().optional());

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
/** English country names to ISO 3166 codes, built from ICU so no list is kept here. */
const countryCodes = new Map<string, string>([
  ['usa', 'US'],
  ['uk', 'GB'],
]);
for (let first = 65; first <= 90; first++) {
  for (let second = 65; second <= 90; second++) {
    const code = String.fromCharCode(first, second);
    const name = regionNames.of(code);
    if (name && name !== code) countryCodes.set(name.toLowerCase(), code);
  }
}

function country(value: string): string | null {
  const trimmed = value.trim();
  if (/^[a-z]{2}$/i.test(trimmed)) {
    const code = trimmed.toUpperCase();
    return regionNames.of(code) !== code ? code : null;
  }
  return countryCodes.get(trimmed.toLowerCase()) ?? null;
}

/** 2023-01-14, 2023/01/14 or 14/01/2023 (day first, as the export's locale writes it). */
function isoDate(value: string): string | null {
  const trimmed = value.trim();
  const yearFirst = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(trimmed);
  const dayFirst = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
  const parts = yearFirst
    ? [yearFirst[1], yearFirst[2], yearFirst[3]]
    : dayFirst
      ? [dayFirst[3], dayFirst[2], dayFirst[1]]
      : null;
  if (!parts) return null;
  const [year, month, day] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date rolls 30 February into March; a date that moved did not exist.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** "1.240,50", "2,105.75", "12 500,00", "€ 310": the last separator followed by 1–2 digits is the decimal one. */
function amount(value: string): number | null {
  const digits = value.replace(/[^\d.,-]/g, '');
  if (!/^-?[\d.,]+$/.test(digits)) return null;
  const decimal = /[.,](\d{1,2})$/.exec(digits);
  const whole = (decimal ? digits.slice(0, decimal.index) : digits).replace(/[.,]/g, '');
  const parsed = Number(`${whole}.${decimal?.[1] ?? '0'}`);
  return Number.isFinite(parsed) ? Math.round(parsed * 100) / 100 : null;
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

function properName(value: string): string {
  const collapsed = value.trim().replace(/\s+/g, ' ');
  // Only a name typed in one case is re-cased; "de Vries" and "O'Brien" stay as written.
  if (collapsed !== collapsed.toLowerCase() && collapsed !== collapsed.toUpperCase())
    return collapsed;
  return collapsed.toLowerCase().replace(/(^|[\s'-])\p{L}/gu, (letter) => letter.toUpperCase());
}

/**
 * Validates and normalises one imported customer row. A row with any bad field fails for good
 * with every problem named, so one pass over the failures fixes the file.
 */
export const customerNormaliseHandler = defineHandler({
  name: 'customer.normalise',
  version: '1',
  description:
    'Validates one CRM row (customer_id, name, email, country, signup_date, lifetime_value, newsletter) and returns it normalised.',
  params: z.object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code')
      .default('EUR'),
    newsletterWhenBlank: z.boolean().default(false),
  }),
  // Pure computation: many rows at once, and no retry can fix a bad row.
  defaults: { concurrency: 50, itemTimeoutMs: 5_000, retry: { maximumAttempts: 1 } },
  async process(item, { params }) {
    const parsed = rawRow.safeParse(item.data);
    if (!parsed.success) throw new PermanentError(`row ${item.key}: data is not a CSV row`);
    const row = parsed.data;
    const field = (name: string) => row[name]?.trim() ?? '';
    const problems: string[] = [];
    const check = <T>(value: T | null, problem: string): T | null => {
      if (value === null) problems.push(problem);
      return value;
    };

    const customerId = check(
      /^C\d{4,}$/i.test(field('customer_id')) ? field('customer_id').toUpperCase() : null,
      'customer_id is missing or not like C1234',
    );
    const name = check(field('name') ? properName(field('name')) : null, 'name is missing');
    const email = field('email').toLowerCase();
    check(
      /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/.test(email) ? email : null,
      `email "${field('email')}" is not an address`,
    );
    const countryCode = check(
      country(field('country')),
      `country "${field('country')}" is unknown`,
    );
    const signupDate = check(
      isoDate(field('signup_date')),
      `signup_date "${field('signup_date')}" is not a date`,
    );
    const value = amount(field('lifetime_value'));
    check(
      value !== null && value >= 0 ? value : null,
      `lifetime_value "${field('lifetime_value')}" is not an amount of 0 or more`,
    );
    const flag = field('newsletter').toLowerCase();
    const newsletter = check(
      flag === '' ? params.newsletterWhenBlank : YES.has(flag) ? true : NO.has(flag) ? false : null,
      `newsletter "${field('newsletter')}" is not yes or no`,
    );

    if (problems.length > 0) throw new PermanentError(`row ${item.key}: ${problems.join('; ')}`);
    return {
      customerId,
      name,
      email,
      country: countryCode,
      signupDate,
      lifetimeValue: { amount: value, currency: params.currency },
      newsletter,
    };
  },
});
