import escapeHtml from 'escape-html';
import type { AdminLanguage, AdminText } from '../shared/admin/text.js';
import { ALERT_KINDS, FLEET_STATES, type Alert, type FleetConsole, type FleetReply } from '../shared/wire.js';

/**
 * The fleet page, drawn on the collector: plain HTML and one style sheet, no script, so it works
 * in any browser on the LAN under the console's CSP. It reloads itself (a meta refresh); filters
 * and sorting are a GET form, so a reload keeps them.
 */
export const PAGE_REFRESH_S = 5;

export const SORTS = ['state', 'office', 'lastSeen', 'pending'] as const;
export type Sort = (typeof SORTS)[number];
export interface FleetView {
  state?: FleetConsole['state'];
  office?: string;
  alert?: Alert['kind'];
  sort: Sort;
}

/** The query string as a view: anything not offered is ignored (shown as "all"). */
export function viewOf(query: Record<string, unknown>): FleetView {
  const pick = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined =>
    allowed.includes(value as T) ? (value as T) : undefined;
  return {
    state: pick(query.state, FLEET_STATES),
    office: typeof query.office === 'string' && query.office !== '' ? query.office : undefined,
    alert: pick(query.alert, ALERT_KINDS),
    sort: pick(query.sort, SORTS) ?? 'state',
  };
}

const STATE_ORDER: Record<FleetConsole['state'], number> = { offline: 0, late: 1, online: 2, never: 3 };
const byOffice = (a: FleetConsole, b: FleetConsole) =>
  // Consoles with no office yet (never seen, not assigned) last.
  Number(a.office === null) - Number(b.office === null) ||
  (a.office ?? '').localeCompare(b.office ?? '') ||
  (a.window ?? '').localeCompare(b.window ?? '', undefined, { numeric: true });
const COMPARE: Record<Sort, (a: FleetConsole, b: FleetConsole) => number> = {
  state: (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || byOffice(a, b),
  office: byOffice,
  lastSeen: (a, b) => (a.lastSeenAt ?? 0) - (b.lastSeenAt ?? 0),
  pending: (a, b) => (b.pending ?? 0) - (a.pending ?? 0) || byOffice(a, b),
};

export function selectConsoles(consoles: readonly FleetConsole[], view: FleetView): FleetConsole[] {
  return consoles
    .filter((c) => (!view.state || c.state === view.state) && (!view.office || c.office === view.office))
    .filter((c) => !view.alert || c.alerts.includes(view.alert))
    .sort(COMPARE[view.sort]);
}

const e = (text: string | number): string => escapeHtml(String(text));

interface Words {
  t: AdminText;
  language: AdminLanguage;
  nowMs: number;
}

function ago(ms: number | null, words: Words): string {
  if (ms === null) return e(words.t('fleet.never'));
  const relative = new Intl.RelativeTimeFormat(words.language, { numeric: 'auto' });
  const seconds = Math.round((ms - words.nowMs) / 1000);
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    Math.abs(seconds) < 90
      ? [seconds, 'second']
      : Math.abs(seconds) < 5_400
        ? [Math.round(seconds / 60), 'minute']
        : Math.abs(seconds) < 129_600
          ? [Math.round(seconds / 3_600), 'hour']
          : [Math.round(seconds / 86_400), 'day'];
  const absolute = new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  return `${e(relative.format(value, unit))} <small>${e(words.t('fleet.utc', { time: absolute }))}</small>`;
}

/** The end of the id: UUIDv7 ids begin with their time, so consoles set up together share a beginning. */
const shortId = (id: string): string => id.slice(-8);

function row(c: FleetConsole, words: Words): string {
  const { t } = words;
  const or = (value: string | number | null) => (value === null ? e(t('fleet.unknown')) : e(value));
  const boxes = c.boxes.map((box) => e(t(box.connected ? 'fleet.boxUp' : 'fleet.boxDown', { id: box.id }))).join('<br>');
  const alerts = c.alerts.map((kind) => `<li>${e(t(`fleet.alert.${kind}`))}</li>`).join('');
  const offset =
    c.clockOffsetMs === null
      ? e(t('fleet.unknown'))
      : e(t('fleet.offsetSeconds', { seconds: (c.clockOffsetMs / 1000).toFixed(1) }));
  return `<tr data-device="${e(c.deviceId)}" data-state="${c.state}">
<td><span class="state ${c.state}">${e(t(`fleet.state.${c.state}`))}</span></td>
<td>${or(c.office)}</td><td>${or(c.window)}</td><td title="${e(c.deviceId)}"><code>${e(shortId(c.deviceId))}</code></td>
<td>${or(c.appVersion)}</td><td>${or(c.configVersion)}${c.refusedConfig ? `<br><small class="refused">${e(t('fleet.refused', { what: c.refusedConfig }))}</small>` : ''}</td><td class="num">${or(c.pending)}</td>
<td>${c.oldestUnsentAt === null ? e(t('fleet.unknown')) : ago(c.oldestUnsentAt, words)}</td>
<td>${ago(c.lastAnswerAt, words)}</td><td>${ago(c.lastSeenAt, words)}</td>
<td>${boxes || e(t('fleet.unknown'))}</td><td class="num">${offset}</td><td class="num">${c.freeDiskBytes === null ? e(t('fleet.unknown')) : e(t('fleet.gib', { n: (c.freeDiskBytes / 1024 ** 3).toFixed(1) }))}</td>
<td>${alerts ? `<ul>${alerts}</ul>` : ''}</td></tr>`;
}

function select(name: string, label: string, options: [string, string][], chosen: string | undefined): string {
  const items = options.map(
    ([value, text]) => `<option value="${e(value)}"${value === (chosen ?? '') ? ' selected' : ''}>${e(text)}</option>`,
  );
  return `<label>${e(label)} <select name="${name}">${items.join('')}</select></label>`;
}

function shell(title: string, language: AdminLanguage, body: string, refresh: boolean): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refresh ? `<meta http-equiv="refresh" content="${PAGE_REFRESH_S}">` : ''}
<title>${e(title)}</title><link rel="stylesheet" href="/fleet/fleet.css"></head>
<body>${body}</body></html>`;
}

export function loginPage(t: AdminText, language: AdminLanguage, wrong: boolean): string {
  return shell(
    t('fleet.loginTitle'),
    language,
    `<main class="login"><h1>${e(t('fleet.loginTitle'))}</h1>
${wrong ? `<p class="error" role="alert">${e(t('fleet.loginWrong'))}</p>` : ''}
<form method="post" action="/fleet/login"><label>${e(t('fleet.loginToken'))}
<input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">${e(t('fleet.loginSubmit'))}</button></form>
<p>${e(t('fleet.loginHint'))}</p></main>`,
    false,
  );
}

const duration = (ms: number, t: AdminText): string =>
  ms % 60_000 === 0 ? t('fleet.durationMinutes', { n: ms / 60_000 }) : t('fleet.durationSeconds', { n: ms / 1000 });

export function fleetPage(fleet: FleetReply, alerts: readonly Alert[], view: FleetView, words: Words): string {
  const { t, language } = words;
  const count = (state: FleetConsole['state']) => fleet.consoles.filter((c) => c.state === state).length;
  const shown = selectConsoles(fleet.consoles, view);
  const offices = [...new Set(fleet.consoles.map((c) => c.office).filter((o): o is string => o !== null))].sort();
  const any: [string, string] = ['', t('fleet.any')];
  const filters = `<form method="get" action="/fleet" class="filters">
${select('state', t('fleet.filterState'), [any, ...FLEET_STATES.map((s): [string, string] => [s, t(`fleet.state.${s}`)])], view.state)}
${select('office', t('fleet.filterOffice'), [any, ...offices.map((o): [string, string] => [o, o])], view.office)}
${select('alert', t('fleet.filterAlert'), [any, ...ALERT_KINDS.map((k): [string, string] => [k, t(`fleet.alert.${k}`)])], view.alert)}
${select(
  'sort',
  t('fleet.sortBy'),
  SORTS.map((s): [string, string] => [s, t(`fleet.sort.${s}`)]),
  view.sort,
)}
<button type="submit">${e(t('fleet.apply'))}</button></form>`;
  const columns = [
    'state',
    'office',
    'window',
    'device',
    'version',
    'config',
    'pending',
    'oldest',
    'lastAnswer',
    'lastSeen',
    'boxes',
    'clock',
    'disk',
    'alerts',
  ];
  const table = shown.length
    ? `<div class="scroll"><table><thead><tr>${columns.map((c) => `<th scope="col">${e(t(`fleet.col.${c}`))}</th>`).join('')}</tr></thead>
<tbody>${shown.map((c) => row(c, words)).join('\n')}</tbody></table></div>`
    : `<p>${e(t('fleet.none'))}</p>`;
  const alertItems = alerts.map(
    (a) =>
      `<li data-alert="${a.kind}" data-device="${e(a.deviceId)}"><code>${e(shortId(a.deviceId))}</code> ${e(t(`fleet.alert.${a.kind}`))}${a.detail ? ` (${e(a.detail)})` : ''} — ${ago(a.raisedAt, words)}</li>`,
  );
  const body = `<header><h1>${e(t('fleet.title'))}</h1>
<form method="post" action="/fleet/logout"><button type="submit">${e(t('fleet.logout'))}</button></form></header>
<main><p class="summary">${e(t('fleet.summary', { total: fleet.consoles.length, online: count('online'), late: count('late'), offline: count('offline'), never: count('never') }))}</p>
<p><small>${e(t('fleet.updated', { time: new Date(fleet.serverTime).toISOString().slice(11, 19), seconds: PAGE_REFRESH_S }))}
${e(t('fleet.thresholds', { late: duration(fleet.lateAfterMs, t), offline: duration(fleet.offlineAfterMs, t) }))}</small></p>
<section aria-labelledby="alerts"><h2 id="alerts">${e(t('fleet.alertsTitle'))}</h2>
${alertItems.length ? `<ul class="alerts">${alertItems.join('')}</ul>` : `<p>${e(t('fleet.noAlerts'))}</p>`}</section>
${filters}${table}</main>`;
  return shell(t('fleet.title'), language, body, true);
}

export const FLEET_CSS = `body{font:16px/1.4 system-ui,sans-serif;margin:0;color:#111;background:#fff}
header{display:flex;justify-content:space-between;align-items:center;padding:8px 16px;background:#0b3d91;color:#fff}
header h1{font-size:20px;margin:0}main{padding:12px 16px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:6px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;white-space:nowrap}small{color:#444}td ul,.alerts{margin:0;padding-left:18px}
.scroll{overflow-x:auto}.state{font-weight:600;padding:2px 6px;border-radius:4px;white-space:nowrap}.online{background:#d7f5dd;color:#0a5a1f}
.late{background:#fff0c2;color:#6b4b00}.offline{background:#fbd5d5;color:#8a1010}.never{background:#e6e6e6;color:#333}
.filters{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0;align-items:end}
button,select,input{font:inherit;min-height:44px;padding:4px 10px}.login{max-width:420px;margin:48px auto}
.login label{display:block;margin-bottom:12px}.login input{width:100%;box-sizing:border-box}.error{color:#8a1010;font-weight:600}`;
