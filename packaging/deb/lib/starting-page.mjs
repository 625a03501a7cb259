// Writes the kiosk's start page (build time, from the applicants' locales): «Пульт запускается…» in
// every language the console speaks, the default first, until the console answers; then the page
// goes to the console. Chromium opens it first, so a console still starting never shows an error page.
import fs from 'node:fs';

const [localesDir, out] = process.argv.slice(2);
const order = ['ru', 'en', 'uz', 'tg', 'ky'];
const texts = order.map((lang) => [lang, JSON.parse(fs.readFileSync(`${localesDir}/${lang}.json`, 'utf8')).kiosk.starting]);
const escape = (text) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const [first, ...others] = texts;
fs.writeFileSync(
  out,
  `<!doctype html>
<html lang="${first[0]}">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, user-scalable=no">
<title>Pult</title>
<style>
  html, body { margin: 0; height: 100%; background: #fff; color: #1a1a1a; font-family: sans-serif; }
  body { display: flex; flex-direction: column; align-items: center; justify-content: center; user-select: none; }
  h1 { font-size: 7vmin; margin: 0 0 4vmin; }
  p { font-size: 3.5vmin; margin: 0.6vmin; color: #444; }
</style>
<h1>${escape(first[1])}</h1>
${others.map(([lang, text]) => `<p lang="${lang}">${escape(text)}</p>`).join('\n')}
<script>
  // Any HTTP answer from the console means it listens: then show it. No answer: look again soon.
  const target = new URLSearchParams(location.search).get('to') || 'http://127.0.0.1:7300/';
  const poll = () =>
    fetch(new URL('healthz', target), { mode: 'no-cors', cache: 'no-store' }).then(
      () => location.replace(target),
      () => setTimeout(poll, 500),
    );
  poll();
</script>
</html>
`,
);
