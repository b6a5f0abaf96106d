/**
 * What a production API may answer to hostile input: a 4xx (or a 2xx that did
 * no harm) as JSON, in its own words. Everything else is a finding.
 */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Words that only a library, the runtime or a stack trace would put in a
 * response: internals a client should never see. (A JSON parser's or URL
 * decoder's complaint that quotes the client's own input is not one.)
 */
const internalWords: Array<[RegExp, string]> = [
  [/E11000|duplicate key error/i, "MongoDB's duplicate-key text"],
  [/\bMongo(Server|Network|Parse)?Error\b|\bmongoose\b|Cast to \w+ failed|Path `|ValidatorError|StrictModeError/i, "a MongoDB/mongoose message"],
  [/\bbcrypt\b|data and hash|Invalid salt/i, "bcrypt's message"],
  [/WRONGTYPE|ERR wrong number|ioredis|Connection is closed|Command timed out/i, "a Redis message"],
  [/is not a function|Cannot read propert|is not defined|is not iterable|Cannot convert|Maximum call stack/i, 'a JavaScript runtime error'],
  [/\bat (?:async )?[\w.<>]+ \(.*:\d+:\d+\)|node_modules|\/work\/|\.ts:\d+/, 'a stack trace or file path'],
  [/secret|BEGIN (RSA )?PRIVATE KEY/i, 'a secret'],
];

export interface Judged {
  /** The request carried MongoDB operators. */
  injection?: boolean;
  /** The route's valid body was sent in the query string. */
  inQuery?: boolean;
  /** A numeric field was ±1e400 (±Infinity once parsed). */
  infinite?: boolean;
  /** POST to a login route. */
  loginRoute?: boolean;
}

export function judgeAnswer(answer: Answer, options: Judged = {}): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}`;
  const isJson = /^application\/(problem\+)?json\b/i.test(answer.contentType);
  if (answer.status >= 400 && !isJson) return `answered ${answer.status} with a non-JSON body (${answer.contentType || 'no Content-Type'})`;
  if (answer.status >= 400) {
    for (const [pattern, what] of internalWords) {
      if (pattern.test(answer.body)) return `leaked ${what} in a ${answer.status}: ${excerpt(answer.body, pattern)}`;
    }
    if (/"stack"\s*:/.test(answer.body)) return `sent a stack in a ${answer.status}`;
  }
  if (answer.status < 300) {
    if (options.injection && options.loginRoute) return `accepted MongoDB operators in a login body (${answer.status})`;
    if (options.inQuery && options.loginRoute) return `accepted credentials from the query string (${answer.status})`;
    if (options.infinite) return `accepted 1e400, which JSON.parse reads as Infinity (${answer.status})`;
  }
  return undefined;
}

function excerpt(body: string, pattern: RegExp): string {
  const at = body.search(pattern);
  return JSON.stringify(body.slice(Math.max(0, at - 40), at + 80));
}
