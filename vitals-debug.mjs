import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const code = readFileSync('/work/wt/vitals/tracker/dist/script.vitals.js', 'utf8');
const server = createServer((req, res) => {
  if (req.url.startsWith('/js/')) { res.writeHead(200, {'content-type':'application/javascript'}); return res.end(code); }
  if (req.method === 'POST') { let b=''; req.on('data', c => b+=c); req.on('end', () => { console.log('POST', req.url, b); res.writeHead(202); res.end(); }); return; }
  res.writeHead(200, {'content-type':'text/html'});
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Vitals</title>
      <script defer data-domain="x.test" data-allow-localhost src="/js/script.vitals.js"></script>
      </head><body>
      <h1>Kites for every wind</h1>
      <p id="late"></p>
      <p>${'A paragraph large enough to be the largest contentful paint. '.repeat(20)}</p>
      <button id="slow">Slow button</button>
      <script>
        setTimeout(() => { document.getElementById('late').style.height = '200px'; }, 300);
        document.getElementById('slow').addEventListener('click', () => {
          const end = performance.now() + 120;
          while (performance.now() < end) {}
          document.getElementById('slow').textContent = 'Clicked';
        });
      </script></body></html>`);
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/page`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const context = await browser.newContext({ userAgent: process.argv[2] === 'ua' ? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' : undefined });
const page = await context.newPage();
await page.goto(url);
await page.waitForTimeout(600);
await page.locator('#slow').click();
await page.getByText('Clicked').waitFor();
await page.goto('about:blank');
await page.waitForTimeout(1500);
await context.close();
await browser.close(); server.close();
