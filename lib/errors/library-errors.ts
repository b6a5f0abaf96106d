import { AppError } from './app-error';

/**
 * Maps the errors that libraries throw for client mistakes to operational
 * AppErrors, by their documented shape rather than by `instanceof` (a second
 * copy of a library in node_modules would defeat `instanceof`).
 */
export function fromLibraryError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as Record<string, unknown>;

  const clientStatus = typeof e.status === 'number' && Number.isInteger(e.status) && e.status >= 400 && e.status < 500 ? e.status : undefined;

  // body-parser (express.json()): malformed JSON, oversize bodies, bad charsets.
  // Its messages are V8's and raw-body's (a JSON parse error quotes the body):
  // the client gets ours, keyed by the documented `type`.
  if (clientStatus !== undefined && typeof e.type === 'string') {
    return new AppError(clientStatus, e.type, bodyParserMessage(e.type, e), { cause: error });
  }

  // The router decodes path parameters with decodeURIComponent and marks the
  // URIError of a malformed escape (`/products/%E0%A4%A`) with status 400.
  if (clientStatus === 400 && e.name === 'URIError') {
    return new AppError(400, 'request.malformed_uri', 'The URL contains a malformed percent-encoding.', { cause: error });
  }

  // body-parser hands on a corrupt `Content-Encoding: gzip|deflate|br` body as
  // zlib's own error, given status 400 (and `expose`) by http-errors but no type.
  if (clientStatus !== undefined && e.expose === true && (typeof e.errno === 'number' || /^(Z_|ERR_)/.test(String(e.code)))) {
    return new AppError(clientStatus, 'entity.encoding.invalid', 'The request body could not be decompressed: it does not match its Content-Encoding.', {
      cause: error,
    });
  }

  // mongoose ValidationError: one entry per invalid path, in words a form can show.
  if (e.name === 'ValidationError' && typeof e.errors === 'object' && e.errors !== null) {
    const errors = Object.entries(e.errors as Record<string, unknown>).map(([field, inner]) => ({ field, message: validatorMessage(inner) }));
    return new AppError(400, 'validation.failed', 'Some fields are invalid.', { details: { errors }, cause: error });
  }

  // mongoose CastError: an id or value of the wrong type in the URL or body.
  if (e.name === 'CastError' && typeof e.path === 'string') {
    return new AppError(400, 'validation.invalid_value', `${quoted(e.value)} is not a valid ${String(e.kind)} for ${e.path}.`, {
      details: { field: e.path },
      cause: error,
    });
  }

  // MongoDB duplicate key: name the field from keyPattern, never parse the
  // message (it names the index, which is neither stable nor what clients send).
  if (e.code === 11000) {
    const field = Object.keys((e.keyPattern as object | undefined) ?? (e.keyValue as object | undefined) ?? {})[0] ?? 'unknown';
    return new AppError(409, 'resource.conflict', `Another record already uses this ${field}.`, { details: { field }, cause: error });
  }

  // jsonwebtoken: an expired token is a distinct case a client can act on (refresh).
  if (e.name === 'TokenExpiredError') {
    return new AppError(401, 'auth.token_expired', 'The token has expired.', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The token has expired"' },
      cause: error,
    });
  }
  if (e.name === 'JsonWebTokenError' || e.name === 'NotBeforeError') {
    return new AppError(401, 'auth.token_invalid', 'The token is not valid.', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      cause: error,
    });
  }
  return undefined;
}

const bodyParserMessages: Record<string, (e: Record<string, unknown>) => string> = {
  'entity.parse.failed': () => 'The request body could not be parsed: it is not well-formed.',
  'entity.too.large': (e) => (typeof e.limit === 'number' ? `The request body is larger than the limit of ${e.limit} bytes.` : 'The request body is too large.'),
  'entity.verify.failed': () => 'The request body failed verification.',
  'charset.unsupported': (e) => `The charset ${quoted(e.charset)} is not supported.`,
  'encoding.unsupported': (e) => `The Content-Encoding ${quoted(e.encoding)} is not supported.`,
  'request.aborted': () => 'The request was aborted before its body was complete.',
  'request.size.invalid': () => 'The request body does not match its Content-Length.',
  'parameters.too.many': () => 'The request body has too many parameters.',
};

function bodyParserMessage(type: string, e: Record<string, unknown>): string {
  return bodyParserMessages[type]?.(e) ?? 'The request could not be processed.';
}

/**
 * A mongoose validator's message for one path. mongoose's defaults ("Path
 * `price` is required.", "Cast to Number failed for value …") are rewritten by
 * kind; a message the schema's author wrote is theirs to show and is kept.
 */
function validatorMessage(inner: unknown): string {
  const v = (typeof inner === 'object' && inner !== null ? inner : {}) as Record<string, unknown>;
  const props = (typeof v.properties === 'object' && v.properties !== null ? v.properties : {}) as Record<string, unknown>;
  const message = typeof v.message === 'string' ? v.message : '';
  // Every default in mongoose's lib/error/messages.js names the path as "path `x`".
  const fromMongoose = message === '' || /\bpath `/i.test(message) || /^(Cast to|Validator ")/.test(message) || v.name === 'CastError';
  if (!fromMongoose) return message;
  if (v.name === 'CastError') return `must be a valid ${String(v.kind).toLowerCase()}.`;
  switch (v.kind) {
    case 'required':
      return 'is required.';
    case 'min':
      return `must be at least ${String(props.min)}.`;
    case 'max':
      return `must be at most ${String(props.max)}.`;
    case 'minlength':
      return `must be at least ${String(props.minlength)} characters long.`;
    case 'maxlength':
      return `must be at most ${String(props.maxlength)} characters long.`;
    case 'enum':
      return Array.isArray(props.enumValues) ? `must be one of: ${props.enumValues.join(', ')}.` : 'is not one of the allowed values.';
    case 'regexp':
      return 'is not in the expected format.';
    default:
      return 'is invalid.';
  }
}

/** A client's value, quoted for a message and cut short: it was sent to us, not by us. */
function quoted(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
