import { openHoursBetween } from '../shared/office-time.js';
import type { AlertKind, FleetConsole, FleetState } from '../shared/wire.js';
import type { DeviceFacts } from './store.js';

/**
 * The fleet's judgement of each console, pure: its state from the last heartbeat, and the causes
 * of alerts it shows now. collector/alerts.ts turns causes into raised and cleared alerts.
 */
export interface FleetThresholds {
  /** No heartbeat for this long: `late` (default 3 missed heartbeats of 60 s). */
  lateAfterMs: number;
  /** No heartbeat for this long: `offline`. */
  offlineAfterMs: number;
}
export const DEFAULT_THRESHOLDS: FleetThresholds = { lateAfterMs: 3 * 60_000, offlineAfterMs: 10 * 60_000 };

/** The limits the users named: a backlog, its age, a box away, a clock off, a silent window. */
export const ALERT_LIMITS = {
  backlogAnswers: 500,
  oldestUnsentMs: 15 * 60_000,
  boxAwayMs: 5 * 60_000,
  clockOffsetMs: 2 * 60_000,
  silentOpenHours: 2,
  /** "Usually gets answers": at least this many per opening hour over the last week. */
  usualPerOpenHour: 1,
  usualOverMs: 7 * 86_400_000,
} as const;

export function fleetState(lastSeenAt: number | null, nowMs: number, thresholds: FleetThresholds): FleetState {
  if (lastSeenAt === null) return 'never';
  const quiet = nowMs - lastSeenAt;
  if (quiet >= thresholds.offlineAfterMs) return 'offline';
  return quiet >= thresholds.lateAfterMs ? 'late' : 'online';
}

/** A time the console read on its own clock, on the collector's (its last known offset). */
const onCollectorClock = (deviceMs: number | null, offsetMs: number | null): number | null =>
  deviceMs === null ? null : deviceMs + (offsetMs ?? 0);

type OfficeHours = NonNullable<DeviceFacts['officeHours']>;

/**
 * What the office clock says now, worked out once per office schedule for every console that
 * shares it (a region's consoles share a handful): the zone arithmetic is the costly part of
 * judging five thousand consoles.
 */
export class OfficeClock {
  private readonly open = new Map<string, boolean>();
  private readonly week = new Map<string, number>();
  constructor(readonly nowMs: number) {}

  private static key = (hours: OfficeHours) => `${hours.timeZone}|${hours.days.join(',')}|${hours.from}|${hours.to}`;

  /** Open at this moment (a minute's window around now). A console that told no hours is taken to be always open: alert rather than miss. */
  isOpen(hours: OfficeHours | null): boolean {
    if (!hours) return true;
    const key = OfficeClock.key(hours);
    let open = this.open.get(key);
    if (open === undefined) {
      open = openHoursBetween(this.nowMs - 60_000, this.nowMs, hours, hours.timeZone) > 0;
      this.open.set(key, open);
    }
    return open;
  }

  /** Opening hours over the last ALERT_LIMITS.usualOverMs. */
  openHoursInWeek(hours: OfficeHours): number {
    const key = OfficeClock.key(hours);
    let open = this.week.get(key);
    if (open === undefined) {
      open = openHoursBetween(this.nowMs - ALERT_LIMITS.usualOverMs, this.nowMs, hours, hours.timeZone);
      this.week.set(key, open);
    }
    return open;
  }
}

/** A cause of an alert seen now, and how long it must last before the alert is raised. */
export interface Cause {
  kind: AlertKind;
  /** What it is about: a box id, the figures. The same cause keeps the same key while it lasts. */
  detail: string;
  holdMs: number;
}

export interface CauseContext {
  nowMs: number;
  /** Shared by every console judged at this moment (see OfficeClock); made here if not given. */
  clock?: OfficeClock;
  thresholds: FleetThresholds;
  /** Answers the collector holds from each console over ALERT_LIMITS.usualOverMs (for "usually gets answers"). */
  recentAnswers: ReadonlyMap<string, number>;
}

/** Every cause of an alert this console shows now. */
export function causesOf(device: DeviceFacts, context: CauseContext): Cause[] {
  const { nowMs } = context;
  const state = fleetState(device.lastHeartbeatAt, nowMs, context.thresholds);
  if (state === 'never') return [];
  const causes: Cause[] = [];
  const clock = context.clock ?? new OfficeClock(nowMs);
  const open = clock.isOpen(device.officeHours);
  if (state === 'offline' && open) causes.push({ kind: 'offline', detail: '', holdMs: 0 });
  const oldest = onCollectorClock(device.oldestUnsentAt, device.clockOffsetMs);
  if (
    (device.outboxDepth ?? 0) > ALERT_LIMITS.backlogAnswers ||
    (oldest !== null && nowMs - oldest > ALERT_LIMITS.oldestUnsentMs)
  )
    causes.push({ kind: 'backlog', detail: '', holdMs: 0 });
  // A console gone offline reports no boxes: what it last said of them is not news.
  if (state !== 'offline')
    for (const box of device.boxes)
      if (!box.connected) causes.push({ kind: 'box_disconnected', detail: box.id, holdMs: ALERT_LIMITS.boxAwayMs });
  if (device.clockOffsetMs !== null && Math.abs(device.clockOffsetMs) > ALERT_LIMITS.clockOffsetMs)
    causes.push({ kind: 'clock_offset', detail: '', holdMs: 0 });
  if (open && state !== 'offline' && isSilent(device, context, clock)) causes.push({ kind: 'silent', detail: '', holdMs: 0 });
  if (device.refusedConfig) causes.push({ kind: 'config_refused', detail: device.refusedConfig, holdMs: 0 });
  return causes;
}

/** No answer for ALERT_LIMITS.silentOpenHours of opening time, from a console that usually gets them. */
function isSilent(device: DeviceFacts, context: CauseContext, clock: OfficeClock): boolean {
  const hours = device.officeHours;
  const last = onCollectorClock(device.lastAnswerAt, device.clockOffsetMs);
  if (!hours || last === null) return false;
  const openInWeek = clock.openHoursInWeek(hours);
  const usual = openInWeek > 0 && (context.recentAnswers.get(device.id) ?? 0) >= ALERT_LIMITS.usualPerOpenHour * openInWeek;
  return usual && openHoursBetween(last, context.nowMs, hours, hours.timeZone) >= ALERT_LIMITS.silentOpenHours;
}

/** One console as `GET /v1/fleet` lists it. */
export function fleetConsole(
  device: DeviceFacts,
  nowMs: number,
  thresholds: FleetThresholds,
  alerts: readonly AlertKind[],
): FleetConsole {
  return {
    deviceId: device.id,
    state: fleetState(device.lastHeartbeatAt, nowMs, thresholds),
    office: device.office,
    window: device.window,
    appVersion: device.appVersion,
    configVersion: device.configVersion,
    refusedConfig: device.refusedConfig,
    pending: device.outboxDepth,
    oldestUnsentAt: onCollectorClock(device.oldestUnsentAt, device.clockOffsetMs),
    lastAnswerAt: onCollectorClock(device.lastAnswerAt, device.clockOffsetMs),
    lastSeenAt: device.lastHeartbeatAt,
    boxes: device.boxes.map((box) => ({ ...box, lastPressAt: onCollectorClock(box.lastPressAt, device.clockOffsetMs) })),
    clockOffsetMs: device.clockOffsetMs,
    freeDiskBytes: device.freeDiskBytes,
    alerts: [...new Set(alerts)],
  };
}

/** A registered console that never sent a heartbeat: listed as `never`, no alarm. */
export const unseenDevice = (registered: { id: string; office: string | null; window: string | null }): DeviceFacts => ({
  id: registered.id,
  office: registered.office,
  window: registered.window,
  appVersion: null,
  lastHeartbeatAt: null,
  outboxDepth: null,
  oldestUnsentAt: null,
  quarantineCount: null,
  freeDiskBytes: null,
  lastError: null,
  clockOffsetMs: null,
  lastAnswerAt: null,
  uptimeMs: null,
  boxes: [],
  officeHours: null,
  configVersion: null,
  refusedConfig: null,
});
