import type { InvalidParam } from './problems';

/**
 * The checks a JSON body passes before and after it is parsed, each linear in its size: a body
 * of any shape within MAX_BODY_BYTES costs bounded time and memory.
 */

/**
 * Deepest nesting of arrays and objects a JSON body may have. Much deeper values overflow
 * `JSON.stringify` (and Postgres' jsonb parser) long before any size limit is reached.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * Most values (array elements, object members and the body itself) a JSON body may hold.
 * Parsing is what costs: each array or object takes tens of bytes of heap, so a 10 MiB body of
 * empty ones (3.4 million) would hold over 200 MB for seconds. A million values parse in a
 * fraction of a second into at most about 60 MB.
 */
export const MAX_JSON_VALUES = 1_000_000;

/**
 * Most object members (keys) a JSON body may hold, among its values. Keys cost more than
 * elements: each distinct key is interned, and objects of distinct keys each get a shape of
 * their own, so a million of them take seconds and 200 MB to parse. An upsert of 5,000 items
 * with data of 30 fields each stays within it.
 */
export const MAX_JSON_MEMBERS = 200_000;

/** How many leading segments of its path name a value nested too deeply. */
const NAMED_LEVELS = 3;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Characters Postgres cannot store: NUL (text and jsonb refuse it) and unpaired surrogates. */
export function badText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/** A key as the body spells it (in its quotes), decoded and cut short to read in a problem. */
function keyName(quoted: string): string {
  let key: string;
  try {
    key = JSON.parse(quoted);
  } catch {
    key = quoted.slice(1, -1);
  }
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}

/**
 * What would make a JSON text costly to parse: nesting deeper than `MAX_JSON_DEPTH` (named by
 * the first segments of its path), more than `MAX_JSON_VALUES` values or `MAX_JSON_MEMBERS`
 * object members. One pass over the
 * characters, holding nothing but the open brackets, so it runs before `JSON.parse` allocates
 * anything. Malformed text is not its concern: whatever it finds there is refused anyway.
 */
export function costlyJsonParam(text: string): InvalidParam | undefined {
  const open: number[] = [];
  // Where each of the first few open levels is, to name a value nested too deeply: an array's
  // index, or an object's key as the offsets of its quoted text (copying every key would cost).
  const at: number[] = [];
  const keyEnd: number[] = [];
  let values = 1;
  let members = 0;
  let firstPending = false;
  let expectingKey = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isSpace(code)) continue;
    if (firstPending) {
      firstPending = false;
      if (code !== CLOSE_ARRAY && code !== CLOSE_OBJECT) values++;
    }
    if (code === QUOTE) {
      const start = index;
      for (index++; index < text.length; index++) {
        const inner = text.charCodeAt(index);
        if (inner === BACKSLASH) index++;
        else if (inner === QUOTE) break;
      }
      if (expectingKey) {
        members++;
        if (open.length <= NAMED_LEVELS) {
          at[open.length - 1] = start;
          keyEnd[open.length - 1] = index + 1;
        }
      }
      expectingKey = false;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (open.length >= MAX_JSON_DEPTH) {
        return {
          name:
            open
              .slice(0, NAMED_LEVELS)
              .map((kind, level) =>
                kind === OPEN_ARRAY
                  ? String(at[level])
                  : keyName(text.slice(at[level], keyEnd[level])),
              )
              .join('.') || '(body)',
          reason: `must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
        };
      }
      open.push(code);
      if (open.length <= NAMED_LEVELS) {
        at[open.length - 1] = 0;
        keyEnd[open.length - 1] = 0;
      }
      firstPending = true;
      expectingKey = code === OPEN_OBJECT;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      open.pop();
      expectingKey = false;
    } else if (code === COMMA) {
      values++;
      const level = open.length;
      if (open[level - 1] === OPEN_OBJECT) expectingKey = true;
      else if (level > 0 && level <= NAMED_LEVELS) {
        at[level - 1] = (at[level - 1] as number) + 1;
      }
    } else if (code === COLON) {
      expectingKey = false;
    }
    if (values > MAX_JSON_VALUES || members > MAX_JSON_MEMBERS) {
      return {
        name: '(body)',
        reason: `must hold at most ${MAX_JSON_VALUES} values (array elements and object members), at most ${MAX_JSON_MEMBERS} of them object members; split it into several requests`,
      };
    }
  }
  return undefined;
}

/** An array or object being walked: where its next child is, and how it was reached. */
interface Level {
  container: unknown[] | Record<string, unknown>;
  keys: string[] | undefined;
  next: number;
  parent: Level | undefined;
  key: string | number;
}

/** The dot-separated path to `key` in `level`, built only when a finding names it. */
function pathName(level: Level | undefined, key?: string | number): string {
  const segments = key === undefined ? [] : [String(key)];
  for (let at = level; at?.parent; at = at.parent) segments.push(String(at.key));
  return segments.reverse().join('.') || '(body)';
}

/**
 * Every string and key of a parsed JSON value that Postgres would refuse or mangle, as invalid
 * params named by path (at most `limit`). Linear in the value: each level keeps a link to its
 * parent and a cursor, so nothing is copied per node, the path is spelled only for a finding,
 * and the stack holds only the open levels. Nesting and size are `costlyJsonParam`'s concern.
 */
export function hostileJsonParams(value: unknown, limit = 20): InvalidParam[] {
  const found: InvalidParam[] = [];
  const enter = (child: unknown, parent: Level | undefined, key: string | number) => {
    if (typeof child === 'string') {
      const reason = badText(child);
      if (reason) found.push({ name: pathName(parent, key), reason });
      return undefined;
    }
    if (child === null || typeof child !== 'object') return undefined;
    const container = child as unknown[] | Record<string, unknown>;
    const keys = Array.isArray(container) ? undefined : Object.keys(container);
    return { container, keys, next: 0, parent, key };
  };
  let level = enter(value, undefined, '');
  while (level && found.length < limit) {
    const { container, keys } = level;
    const size = keys ? keys.length : (container as unknown[]).length;
    if (level.next >= size) {
      level = level.parent;
      continue;
    }
    const index = level.next++;
    let child: unknown;
    let key: string | number = index;
    if (keys) {
      key = keys[index] as string;
      const reason = badText(key);
      if (reason) {
        found.push({ name: pathName(level), reason: `has a key that ${reason}` });
        continue;
      }
      child = (container as Record<string, unknown>)[key];
    } else {
      child = (container as unknown[])[index];
    }
    level = enter(child, level, key) ?? level;
  }
  return found;
}
