import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  postEvent,
  startFlusher,
  startReceiver,
  TestContext,
  DESKTOP_CHROME_UA,
} from '@sightline/testing';

function raw(
  url: string,
  opts: {
    method?: string;
    path: string;
    headers?: Record<string, string | string[]>;
    body?: Uint8Array | string;
    setHost?: boolean;
    chunked?: boolean;
  },
) {
  const u = new URL(url);
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: u.port,
          method: opts.method ?? 'POST',
          path: opts.path,
          headers: opts.headers ?? {},
          setHost: opts.setHost ?? true,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString(),
              headers: res.headers,
            }),
          );
        },
      );
      req.on('error', reject);
      if (opts.body !== undefined) {
        if (!opts.chunked) req.setHeader('content-length', Buffer.byteLength(opts.body as string));
        req.end(opts.body);
      } else req.end();
    },
  );
}

describe('probe', () => {
  const ctx = new TestContext();
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let flusher: ReturnType<typeof startFlusher>;
  let site: { id: number; domain: string };
  beforeAll(async () => {
    const config = ctx.ingestConfig({ TRUSTED_PROXY_HOPS: 1 });
    receiver = await startReceiver(config);
    flusher = startFlusher(config);
    site = await ctx.newSite();
  });
  afterAll(async () => {
    await receiver.close();
    await flusher.close();
    await ctx.close();
  });
  it('probes', async () => {
    const ev = (name: string, url = `https://${site.domain}/p`) =>
      JSON.stringify({ name, url, domain: site.domain });
    const ua = { 'user-agent': DESKTOP_CHROME_UA };
    const cases: [string, Parameters<typeof raw>[1]][] = [
      [
        'no host',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body: ev('nohost'),
          setHost: false,
        },
      ],
      [
        'empty host',
        {
          path: '/api/event',
          headers: { ...ua, host: '', 'content-type': 'text/plain' },
          body: ev('emptyhost'),
        },
      ],
      [
        'long host',
        {
          path: '/api/event',
          headers: { ...ua, host: 'h'.repeat(8000), 'content-type': 'text/plain' },
          body: ev('longhost'),
        },
      ],
      [
        'two hosts',
        {
          path: '/api/event',
          headers: { ...ua, host: ['a', 'b'], 'content-type': 'text/plain' },
          body: ev('twohost'),
        },
      ],
      [
        'huge xff',
        {
          path: '/api/event',
          headers: { ...ua, 'x-forwarded-for': '1.2.3.4, '.repeat(2000), 'content-type': 'text/plain' },
          body: ev('hugexff'),
        },
      ],
      [
        'garbage xff',
        {
          path: '/api/event',
          headers: {
            ...ua,
            'x-forwarded-for': 'zz, ::ffff:1.2.3.4, [::1]:80, 999.1.1.1',
            'content-type': 'text/plain',
          },
          body: ev('garbxff'),
        },
      ],
      [
        'header overflow',
        {
          path: '/api/event',
          headers: { ...ua, 'x-forwarded-for': 'a'.repeat(20000), 'content-type': 'text/plain' },
          body: ev('overflow'),
        },
      ],
      [
        'utf16',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain;charset=utf-16' },
          body: ev('utf16'),
        },
      ],
      [
        'utf16 encoded',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain;charset=utf-16' },
          body: Buffer.from(ev('utf16enc'), 'utf16le') as unknown as string,
        },
      ],
      [
        'latin1 json',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'application/json; charset=latin1' },
          body: ev('latin1'),
        },
      ],
      [
        'json utf16',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'application/json; charset=utf-16' },
          body: ev('jsonutf16'),
        },
      ],
      [
        'TEXT/PLAIN',
        { path: '/api/event', headers: { ...ua, 'content-type': 'TEXT/PLAIN' }, body: ev('upper') },
      ],
      [
        'text/plainx',
        { path: '/api/event', headers: { ...ua, 'content-type': 'text/plainx' }, body: ev('plainx') },
      ],
      [
        'text/html',
        { path: '/api/event', headers: { ...ua, 'content-type': 'text/html' }, body: ev('html') },
      ],
      ['garbage ct', { path: '/api/event', headers: { ...ua, 'content-type': ';;;==' }, body: ev('garbct') }],
      ['no ct', { path: '/api/event', headers: { ...ua }, body: ev('noct') }],
      ['no ct no body', { path: '/api/event', headers: { ...ua } }],
      [
        'multipart',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'multipart/form-data; boundary=x' },
          body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
        },
      ],
      [
        'chunked over',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body: 'x'.repeat(20000),
          chunked: true,
        },
      ],
      [
        'bad url enc',
        { path: '/api/%zz', headers: { ...ua, 'content-type': 'text/plain' }, body: ev('badurl') },
      ],
      [
        'bad url enc2',
        { path: '/api/event?%zz', headers: { ...ua, 'content-type': 'text/plain' }, body: ev('badurl2') },
      ],
      ['GET', { method: 'GET', path: '/api/event', headers: { ...ua } }],
      [
        'PUT',
        {
          method: 'PUT',
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body: ev('put'),
        },
      ],
      [
        'trailing slash',
        { path: '/api/event/', headers: { ...ua, 'content-type': 'text/plain' }, body: ev('slash') },
      ],
      [
        'double slash',
        { path: '//api/event', headers: { ...ua, 'content-type': 'text/plain' }, body: ev('dslash') },
      ],
      [
        'abs path',
        { path: 'http://evil/api/event', headers: { ...ua, 'content-type': 'text/plain' }, body: ev('abs') },
      ],
      [
        'foreign host',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body: ev('foreign', 'https://evil.example/x'),
        },
      ],
      [
        'trailing dot',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body: ev('tdot', `https://${site.domain}./x`),
        },
      ],
      [
        'ts',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body: JSON.stringify({
            name: 'ts',
            url: `https://${site.domain}/`,
            domain: site.domain,
            timestamp: '2099-01-01T00:00:00Z',
          }),
        },
      ],
      [
        'overlong',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body: Buffer.concat([
            Buffer.from('{"name":"ovl'),
            Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]),
            Buffer.from(`","url":"https://${site.domain}/","domain":"${site.domain}"}`),
          ]) as unknown as string,
        },
      ],
      [
        'nul',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body: JSON.stringify({
            name: 'nul\u0000\ud800x',
            url: `https://${site.domain}/`,
            domain: site.domain,
          }),
        },
      ],
      [
        'bom',
        { path: '/api/event', headers: { ...ua, 'content-type': 'text/plain' }, body: '\ufeff' + ev('bom') },
      ],
      [
        'proto',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body: '{"name":"p","url":"https://x.test/","domain":"x.test","props":{"__proto__":"x"}}',
        },
      ],
      [
        'deep',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body:
            '{"name":"p","url":"https://x.test/","domain":"x.test","props":{"a":' +
            '['.repeat(5000) +
            ']'.repeat(5000) +
            '}}',
        },
      ],
      [
        'deepobj',
        {
          path: '/api/event',
          headers: { ...ua, 'content-type': 'text/plain' },
          body:
            '{"name":"p","url":"https://x.test/","domain":"x.test","props":' +
            '{"a":'.repeat(3000) +
            '1' +
            '}'.repeat(3000) +
            '}',
        },
      ],
    ];
    for (const [label, opts] of cases) {
      try {
        const r = await raw(receiver.url, opts);
        console.log(label, r.status, r.body.slice(0, 200));
      } catch (e) {
        console.log(label, 'ERR', String(e));
      }
    }
    await postEvent(receiver.url, { name: 'sentinel', url: `https://${site.domain}/`, domain: site.domain });
    await eventually(async () =>
      (await ctx.events<Record<string, string>>(site.id)).some((r) => r.name === 'sentinel'),
    );
    for (const r of await ctx.events<Record<string, unknown>>(site.id))
      console.log(JSON.stringify([r.name, r.hostname, r.pathname, r.timestamp]));
    expect(1).toBe(1);
  });
});
