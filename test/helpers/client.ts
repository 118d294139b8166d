import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A minimal browser over app.inject: keeps cookies, reads CSRF tokens from forms, posts forms. */
export class TestClient {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of [res.headers['set-cookie'] ?? []].flat()) {
      const [pair = '', ...attrs] = String(c).split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0\b/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  async post(url: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({ method: 'POST', url, payload: formBody(form), headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers } }),
    );
  }

  /** Loads a page and posts its form with the page's CSRF token plus the given fields. */
  async submit(pageUrl: string, action: string, form: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl);
    return this.post(action, { _csrf: csrfToken(page.body), ...form });
  }

  async login(email: string, password: string): Promise<LightMyRequestResponse> {
    return this.submit('/admin/login', '/admin/login', { email, password });
  }
}

/** A form as a browser posts it (application/x-www-form-urlencoded); a list is sent as repeated fields. */
export function formBody(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return body.toString();
}

/** The CSRF token of the first form in a page. */
export function csrfToken(html: string): string {
  return html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
}

/** The value of an input in a page, by id. */
export function inputValue(html: string, id: string): string | undefined {
  const tag = html.match(new RegExp(`<input[^>]*id="${id}"[^>]*>`))?.[0];
  return tag?.match(/value="([^"]*)"/)?.[1];
}
