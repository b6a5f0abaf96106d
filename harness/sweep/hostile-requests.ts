import zlib from 'node:zlib';
import type { Route } from './routes';

/**
 * The classes of hostile input a production API receives, for one route:
 * bad path parameters (malformed percent-escapes, operators, huge numbers),
 * hostile query strings, malformed and wrongly typed JSON bodies, operator
 * injection, prototype pollution, corrupt compressed bodies, oversized
 * bodies and garbage headers. A valid value stands beside each hostile one,
 * so the hostile part reaches the handler instead of an earlier refusal.
 */
export interface HostileRequest {
  method: string;
  /** Path and query, sent byte for byte (no re-encoding). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the request tries, for the finding's name. */
  label: string;
  /** The body carries MongoDB operators (`{"$gt": ""}`). */
  injection?: boolean;
  /** The route's valid body travels in the query string instead (credentials in URLs end up in logs). */
  inQuery?: boolean;
  /** A numeric field of the valid body is ±1e400, which JSON.parse reads as ±Infinity. */
  infinite?: boolean;
}

export interface RouteHints {
  /** Valid values for path parameters, by name. */
  params?: Record<string, string>;
  /** A valid JSON body for this route, broken one field at a time. */
  body?: Record<string, unknown>;
  /** Whether to break the body field by field (most of the requests); default true. */
  fieldByField?: boolean;
}

const hostileSegments = [
  '%E0%A4%A', // a truncated UTF-8 escape: decodeURIComponent throws
  '%',
  '%zz',
  '%00',
  '%C0%AF', // an overlong encoding of "/"
  '..%2F..%2Fetc%2Fpasswd',
  '__proto__',
  'constructor',
  'prototype',
  '%7B%22%24gt%22%3A%22%22%7D', // {"$gt":""}
  '%24where',
  '1e400',
  '-1',
  '0',
  '1.5',
  '9007199254740993',
  'NaN',
  'null',
  'undefined',
  'true',
  '0x1F',
  '000000000000000000000000',
  'zzzzzzzzzzzzzzzzzzzzzzzz',
  'x'.repeat(2048),
  '%F0%9F%92%A9',
];

const hostileQueries = [
  '?__proto__[polluted]=1',
  '?constructor[prototype][polluted]=1',
  '?id[$gt]=',
  '?id[$ne]=x&limit[$gt]=0',
  '?limit=1e400&offset=-1&page=abc',
  '?limit=99999999999999999999&skip=NaN',
  '?sort=%E0%A4%A',
  '?tag=%00&tag=x&tag[]=y',
  '?q=' + 'x'.repeat(4096),
  '?email=ada%40example.com&password=correct-horse&username=ada',
  '?a=%',
];

/** Values a field of the wrong type can take, as raw JSON (so `1e400` stays 1e400). */
const hostileValues: Array<[label: string, json: string, injection?: boolean]> = [
  ['a number', '1'],
  ['a float', '1.5'],
  ['a negative number', '-1'],
  ['1e400', '1e400'],
  ['-1e400', '-1e400'],
  ['true', 'true'],
  ['null', 'null'],
  ['an empty string', '""'],
  ['a NUL byte', '"\\u0000"'],
  ['an array', '["a", 1]'],
  ['an empty object', '{}'],
  ['{"$gt":""}', '{"$gt": ""}', true],
  ['{"$ne":null}', '{"$ne": null}', true],
  ['{"$where":"sleep(100)"}', '{"$where": "sleep(100)"}', true],
  ['a long string', JSON.stringify('x'.repeat(20_000))],
  ['a lone surrogate', '"\\ud800"'],
  ['"__proto__"', '"__proto__"'],
  ['a nested prototype', '{"__proto__": {"polluted": true}}'],
];

/** Field names to try when the route's valid body is not known. */
const commonFields = ['email', 'password', 'name', 'title', 'body', 'price', 'stock', 'tags', 'role', 'refreshToken', 'id', 'sku'];

const json = { 'content-type': 'application/json' };

const malformedBodies: Array<[label: string, body: string, headers?: Record<string, string>]> = [
  ['malformed JSON', '{"a":'],
  ['truncated JSON string', '{"email": "unfinished'],
  ['JSON with trailing garbage', '{"a":1}garbage'],
  ['an empty JSON body', ''],
  ['JSON null', 'null'],
  ['a JSON number', '1e400'],
  ['a JSON string', '"text"'],
  ['a JSON array', '[{"a":1}]'],
  ['JSON true', 'true'],
  ['deeply nested JSON', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ['a __proto__ body', '{"__proto__": {"polluted": true, "isAdmin": true, "role": "admin"}}'],
  ['a constructor.prototype body', '{"constructor": {"prototype": {"polluted": true}}}'],
  ['an operator-only body', '{"$where": "1", "$gt": ""}'],
  ['JSON as text/plain', '{"a":1}', { 'content-type': 'text/plain' }],
  ['a urlencoded prototype body', 'a[__proto__][polluted]=1&constructor[prototype][polluted]=1', { 'content-type': 'application/x-www-form-urlencoded' }],
  ['JSON in an unsupported charset', '{"a":1}', { 'content-type': 'application/json; charset=utf-7' }],
  ['JSON with a malformed charset', '{"a":1}', { 'content-type': 'application/json; charset=' }],
  ['a garbage content type', '{"a":1}', { 'content-type': '%%%/;;;' }],
];

function encodedBodies(valid: string): Array<[label: string, body: Buffer, headers: Record<string, string>]> {
  const garbage = Buffer.from('this is not compressed at all');
  return [
    ['a corrupt gzip body', garbage, { 'content-encoding': 'gzip' }],
    ['a corrupt deflate body', garbage, { 'content-encoding': 'deflate' }],
    ['a corrupt br body', garbage, { 'content-encoding': 'br' }],
    ['a truncated gzip body', zlib.gzipSync(valid).subarray(0, 12), { 'content-encoding': 'gzip' }],
    ['gzip of malformed JSON', zlib.gzipSync('{"a":'), { 'content-encoding': 'gzip' }],
    ['an unsupported content encoding', Buffer.from(valid), { 'content-encoding': 'compress' }],
    ['a gzip bomb (10 MB of zeros)', zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)), { 'content-encoding': 'gzip' }],
    ['an oversized body (2 MB)', Buffer.from(JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) })), {}],
  ];
}

const garbageHeaders: Array<[label: string, headers: Record<string, string>]> = [
  ['an empty bearer token', { authorization: 'Bearer' }],
  ['a garbage bearer token', { authorization: 'Bearer not.a.jwt' }],
  ['an alg:none token', { authorization: 'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.' }],
  ['a huge bearer token', { authorization: `Bearer ${'a'.repeat(6000)}` }],
  ['a Basic authorization', { authorization: 'Basic %%%' }],
  ['a garbage session cookie', { cookie: 'connect.sid=s%3Agarbage.signature; sid=%E0%A4%A; session=%' }],
  ['a huge cookie', { cookie: `connect.sid=${'x'.repeat(6000)}` }],
  ['a garbage X-Forwarded-For', { 'x-forwarded-for': '%%%, ::ffff:999.1.1.1, , unknown' }],
  ['a hostile X-Request-Id', { 'x-request-id': '<script>alert(1)</script>' }],
  ['garbage Accept headers', { accept: '*/*;q=abc', 'accept-encoding': '%%%', 'accept-language': '%%%', 'if-none-match': '*', range: 'bytes=abc' }],
  ['a garbage Origin', { origin: 'null', referer: '%%%' }],
];

/** Fills `:param` and `*param` segments; braces of optional parts are dropped. */
export function fillPath(path: string, values: (name: string) => string): string {
  return path.replace(/[{}]/g, '').replace(/[:*]([A-Za-z_$][\w$]*)/g, (_m, name: string) => values(name));
}

export function hostileRequests(route: Route, hints: RouteHints = {}): HostileRequest[] {
  const { method } = route;
  const paramNames = [...route.path.matchAll(/[:*]([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!);
  const validParam = (name: string) => hints.params?.[name] ?? 'x';
  const validPath = fillPath(route.path, validParam);
  const takesBody = method !== 'GET';
  const validBody = JSON.stringify(hints.body ?? {});
  const base = (label: string, path: string, extra: Partial<HostileRequest> = {}): HostileRequest => ({
    method,
    path,
    headers: takesBody ? { ...json } : {},
    body: takesBody ? Buffer.from(validBody) : undefined,
    label,
    ...extra,
  });
  const requests: HostileRequest[] = [];

  for (const name of paramNames) {
    for (const segment of hostileSegments) {
      requests.push(base(`:${name} = ${segment.slice(0, 40)}`, fillPath(route.path, (n) => (n === name ? segment : validParam(n)))));
    }
  }
  for (const query of hostileQueries) requests.push(base(`query ${query.slice(0, 60)}`, validPath + query));
  for (const [label, headers] of garbageHeaders) requests.push(base(label, validPath, { headers: { ...(takesBody ? json : {}), ...headers } }));

  if (takesBody) {
    for (const [label, body, headers] of malformedBodies) {
      requests.push(base(label, validPath, { headers: { ...json, ...headers }, body: Buffer.from(body) }));
    }
    for (const [label, body, headers] of encodedBodies(validBody)) {
      requests.push(base(label, validPath, { headers: { ...json, ...headers }, body }));
    }
    const fields = hints.body ? Object.keys(hints.body) : commonFields;
    for (const field of hints.fieldByField === false ? [] : fields) {
      const numeric = typeof hints.body?.[field] === 'number';
      for (const [label, value, injection] of hostileValues) {
        const infinite = numeric && /^-?1e400$/.test(value);
        requests.push(base(`"${field}": ${label}`, validPath, { body: Buffer.from(withRawField(validBody, field, value)), injection, infinite }));
      }
    }
    if (hints.body) {
      const query = new URLSearchParams(Object.entries(hints.body).map(([k, v]): [string, string] => [k, String(v)])).toString();
      requests.push(base('the valid body in the query string', `${validPath}${validPath.includes('?') ? '&' : '?'}${query}`, { body: Buffer.from('{}'), inQuery: true }));
    }
    // Every field an operator at once: the classic login bypass.
    const allOperators = `{${fields.map((f) => `${JSON.stringify(f)}: {"$gt": ""}`).join(', ')}}`;
    requests.push(base('every field {"$gt":""}', validPath, { body: Buffer.from(allOperators), injection: true }));
    requests.push(base('a valid body plus __proto__', validPath, { body: Buffer.from(withRawField(validBody, '__proto__', '{"polluted": true, "isAdmin": true}')) }));
  }
  return requests;
}

/** `validBody` (a JSON object) with one field set to raw JSON text, keeping `1e400` unparsed. */
function withRawField(validBody: string, field: string, rawValue: string): string {
  const others = Object.entries(JSON.parse(validBody) as Record<string, unknown>)
    .filter(([key]) => key !== field)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{${[...others, `${JSON.stringify(field)}: ${rawValue}`].join(', ')}}`;
}
