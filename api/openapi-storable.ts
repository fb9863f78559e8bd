/**
 * Writes into the generated document the rule `refuseHostileInput` enforces on every request:
 * no string or key anywhere in a query or body holds NUL or an unpaired surrogate (Postgres
 * cannot store them). Stating it once here, for every request schema, keeps the document and
 * the API agreeing without repeating a pattern on each field: a client or fuzzer that follows
 * the document never sends what the API refuses for this reason.
 */

/**
 * JSON Schema's reading of `badText`: no NUL. Unpaired surrogates need no pattern: they are not
 * Unicode text, which is what a JSON Schema string is (and pattern generators refuse the range).
 */
export const STORABLE_TEXT_PATTERN = '^[^\\u0000]*$';

export const JSON_VALUE_COMPONENT = 'JsonValue';
const jsonValueRef = { $ref: `#/components/schemas/${JSON_VALUE_COMPONENT}` };

type Schema = Record<string, unknown>;

const jsonValueSchema: Schema = {
  description:
    'Any JSON value Postgres can store: no NUL characters (nor unpaired surrogates) in strings or keys, at most 256 levels deep.',
  anyOf: [
    { type: 'string', pattern: STORABLE_TEXT_PATTERN },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'null' },
    { type: 'array', items: jsonValueRef },
    {
      type: 'object',
      propertyNames: { pattern: STORABLE_TEXT_PATTERN },
      additionalProperties: jsonValueRef,
    },
  ],
};

const COMPOSITIONS = ['anyOf', 'oneOf', 'allOf'] as const;

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A schema that allows anything: `{}` or one with only a description or example. */
function allowsAnything(schema: Schema): boolean {
  return Object.keys(schema).every((key) => ['description', 'example', 'title'].includes(key));
}

function types(schema: Schema): unknown[] {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/**
 * Whether no string holding NUL can match a pattern: anchored at both ends, without a wildcard
 * or a negated class, and without an escape that could stand for NUL (a code point, a control
 * character, a space or "not a digit/word" class), so that every character it takes is a
 * printable one. Adding the rule to such a pattern says nothing more, and two patterns make
 * generators filter values rather than build them.
 */
export function excludesNul(pattern: string): boolean {
  if (!pattern.startsWith('^') || !pattern.endsWith('$')) return false;
  if ([...pattern].some((character) => character < ' ')) return false;
  if (/\\[uxcsSDW0]/.test(pattern)) return false;
  const outsideClasses = pattern.replace(/\\./g, 'E').replace(/\[(?!\^)[^\]]*\]/g, 'C');
  return !/[.[]/.test(outsideClasses);
}

/** Constrains one request schema in place (and the components it refers to, once each). */
function constrain(schema: Schema, components: Record<string, Schema>, seen: Set<string>): void {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop() as string;
    const target = components[name];
    if (target && !seen.has(name)) {
      seen.add(name);
      constrain(target, components, seen);
    }
    return;
  }
  for (const key of COMPOSITIONS) {
    const alternatives = schema[key];
    if (Array.isArray(alternatives)) {
      for (const alternative of alternatives) {
        if (isObject(alternative)) constrain(alternative, components, seen);
      }
    }
  }
  const kinds = types(schema);
  if (kinds.includes('string') && !schema.format && !schema.enum && schema.const === undefined) {
    // A string with a pattern of its own gets the rule beside it: a schema has one `pattern`.
    if (schema.pattern === undefined) schema.pattern = STORABLE_TEXT_PATTERN;
    else if (schema.pattern !== STORABLE_TEXT_PATTERN && !excludesNul(String(schema.pattern))) {
      schema.allOf = [
        ...(Array.isArray(schema.allOf) ? schema.allOf : []),
        { pattern: STORABLE_TEXT_PATTERN },
      ];
    }
  }
  if (Array.isArray(schema.prefixItems)) {
    for (const item of schema.prefixItems) if (isObject(item)) constrain(item, components, seen);
  }
  if (kinds.includes('array') && isObject(schema.items)) {
    if (allowsAnything(schema.items)) Object.assign(schema.items, jsonValueRef);
    else constrain(schema.items, components, seen);
  }
  if (kinds.includes('object')) {
    schema.propertyNames ??= { pattern: STORABLE_TEXT_PATTERN };
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const property of Object.values(properties)) {
      if (!isObject(property)) continue;
      if (allowsAnything(property)) Object.assign(property, jsonValueRef);
      else constrain(property, components, seen);
    }
    const extra = schema.additionalProperties;
    // Unknown fields are ignored, but still read: they must be storable text too.
    if (extra === undefined || extra === true || (isObject(extra) && allowsAnything(extra))) {
      schema.additionalProperties = jsonValueRef;
    } else if (isObject(extra)) {
      constrain(extra, components, seen);
    }
  }
}

/** Adds the storable-text rule to every parameter and request body of `document`, in place. */
export function constrainRequestsToStorableText<D extends object>(document: D): D {
  const root = document as Schema;
  const componentsObject = (isObject(root.components) ? root.components : {}) as Schema;
  root.components = componentsObject;
  const components = (isObject(componentsObject.schemas) ? componentsObject.schemas : {}) as Record<
    string,
    Schema
  >;
  componentsObject.schemas = components;
  components[JSON_VALUE_COMPONENT] = jsonValueSchema;
  const seen = new Set<string>([JSON_VALUE_COMPONENT]);
  for (const pathItem of Object.values(isObject(root.paths) ? root.paths : {})) {
    if (!isObject(pathItem)) continue;
    for (const operation of Object.values(pathItem)) {
      if (!isObject(operation)) continue;
      for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
        if (isObject(parameter) && isObject(parameter.schema)) {
          constrain(parameter.schema, components, seen);
        }
      }
      const body = isObject(operation.requestBody) ? operation.requestBody : undefined;
      for (const media of Object.values(isObject(body?.content) ? body.content : {})) {
        if (isObject(media) && isObject(media.schema)) constrain(media.schema, components, seen);
      }
    }
  }
  return document;
}
