// Readiness for systemd (pult.service's ExecStartPost): waits until the console's /healthz answers
// 200, or fails after the given seconds. Node has no sd_notify; the health endpoint is the signal.
const [url = 'http://127.0.0.1:7300/healthz', seconds = '60'] = process.argv.slice(2);
const until = Date.now() + Number(seconds) * 1000;
for (;;) {
  try {
    const reply = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (reply.ok) process.exit(0);
  } catch {
    // not listening yet
  }
  if (Date.now() > until) {
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
