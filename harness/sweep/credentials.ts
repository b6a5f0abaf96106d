/**
 * Signs in through the app's own login route, for the sweep's signed-in pass:
 * the credentials are whatever that route hands out (a cookie, a bearer token).
 */
export async function signIn(
  url: string,
  path: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ cookie?: string; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sweep: signing in through POST ${path} answered ${res.status}: ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((line) => line.split(';')[0]!);
  const text = await res.text();
  return { cookie: cookies.length > 0 ? cookies.join('; ') : undefined, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
