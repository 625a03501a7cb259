import fs from 'node:fs';
import { reasonLabels, type PultConfig } from '../../shared/config.js';
import type { Criterion } from '../../shared/metrics.js';
import type { Status, SyncStatus } from '../../shared/contract.js';
import { officeDaysMs } from '../../shared/office-time.js';
import type {
  AuditEntry,
  ChangeReply,
  ExportFolder,
  ExportRequest,
  Health,
  OpenReply,
  OperatorStats,
  Period,
  Settings,
  SettingsChange,
  StatsReply,
} from '../../shared/supervisor.js';
import type { Clock } from '../clock.js';
import { InvalidInput } from '../errors.js';
import { exportToFolder } from '../export.js';
import { adminWords, workbookHeaders } from '../../shared/admin/text.js';
import type { Log } from '../log.js';
import { officeToday, operatorStats, periodStats, windowStats } from '../stats.js';
import type { Storage } from '../storage/storage.js';
import { SupervisorAccess, type Caller } from './access.js';
import { alertsOf } from './alerts.js';
import { lastCsiScores } from '../storage/stats-queries.js';
import { exportFolders } from './export-folders.js';
import { PinGate } from './pin.js';
import { changeSettings, settingsOf } from './settings.js';

/** The config in force: the file's, with the supervisor's changes since the start. */
export interface LiveConfig {
  get(): PultConfig;
  set(config: PultConfig): void;
}

export interface DeskDeps {
  dataDir: string;
  /** Where settings changed here are written (the config file in use, else the data directory's). */
  configFile: string;
  config: LiveConfig;
  storage: Storage;
  clock: Clock;
  log: Log;
  status(): Status;
  syncStatus(): Promise<SyncStatus>;
  /** A PIN session on the console's own screen pauses ratings; closing it starts afresh. */
  pause(pausing: boolean): void;
  /** A change applied: the session takes the new flow and the screens redraw. */
  applied(config: PultConfig): Promise<void>;
}

/**
 * The supervisor screen's methods (docs/supervisor.md). Every one but `openSupervisor` needs a
 * live PIN session (core/supervisor/access.ts).
 */
export class SupervisorDesk {
  private readonly access: SupervisorAccess;
  private readonly startedAtMs: number;

  constructor(private readonly deps: DeskDeps) {
    this.startedAtMs = deps.clock.wallMs();
    this.access = new SupervisorAccess({
      gate: new PinGate(deps.dataDir, () => deps.clock.wallMs()),
      clock: deps.clock,
      idleMs: () => deps.config.get().supervisor.idleMs,
      onPausing: (pausing) => deps.pause(pausing),
    });
  }

  async openSupervisor(pin: string, caller: Caller): Promise<OpenReply> {
    const opened = await this.access.openWith(pin, caller);
    if (!('token' in opened)) return opened;
    const { office, window, timeZone, supervisor } = this.deps.config.get();
    return {
      status: 'open',
      ...opened,
      idleMs: supervisor.idleMs,
      console: { officeName: office.name, windowId: window.id, windowLabel: window.label, timeZone },
    };
  }

  closeSupervisor(token: string): { closed: boolean } {
    return { closed: this.access.close(token) };
  }

  /** The figures of a period (today and this window unless asked otherwise), and every window's totals. */
  getStats(token: string, asked: Period | undefined): StatsReply {
    this.access.check(token);
    const config = this.deps.config.get();
    const today = officeToday(config.timeZone, this.deps.clock.wallMs());
    const period = asked ?? { from: today, to: today, windowId: config.window.id };
    return this.deps.storage.read((db) => ({
      period: periodStats(db, period),
      windows: windowStats(db, period),
      target: config.supervisor.target,
      windowId: config.window.id,
      today,
      openingHours: { from: config.openingHours.from, to: config.openingHours.to },
      reasonLabels: reasonLabels(config),
    }));
  }

  /** Each operator's figures over a period (today unless asked otherwise), fairly (core/stats.ts). */
  getOperators(token: string, asked: Period | undefined, criterion: Criterion): OperatorStats {
    this.access.check(token);
    const config = this.deps.config.get();
    const today = officeToday(config.timeZone, this.deps.clock.wallMs());
    const { from, to } = asked ?? { from: today, to: today };
    const priorStrength = config.supervisor.priorStrength;
    return this.deps.storage.read((db) => operatorStats(db, { from, to, criterion, priorStrength }));
  }

  async getHealth(token: string): Promise<Health> {
    this.access.check(token);
    const config = this.deps.config.get();
    const status = this.deps.status();
    const lastScores = this.deps.storage.read((db) => lastCsiScores(db, config.window.id, config.alerts.negativeStreak));
    const alerts = alertsOf({
      config,
      nowMs: this.deps.clock.wallMs(),
      lastRatingMs: Math.max(status.lastAnswerAtMs ?? 0, this.startedAtMs),
      lastScores,
    });
    return { status, sync: await this.deps.syncStatus(), alerts };
  }

  listExportFolders(token: string): ExportFolder[] {
    this.access.check(token);
    return exportFolders(this.deps.dataDir, this.deps.config.get().supervisor.exportFolders);
  }

  /** The period's answers of one window (or all) into an offered folder, as one file written by rename. */
  async exportPeriod(request: ExportRequest) {
    this.access.check(request.token);
    const { dataDir } = this.deps;
    const config = this.deps.config.get();
    const folder = exportFolders(dataDir, config.supervisor.exportFolders).find((f) => f.path === request.folder);
    if (!folder) throw new InvalidInput(`"${request.folder}" is not one of the offered export folders`);
    if (folder.kind === 'data') fs.mkdirSync(folder.path, { recursive: true });
    const { period, format } = request;
    const bounds = officeDaysMs(period.from, period.to, config.timeZone);
    const name = `pult-${period.windowId ?? 'all'}-${period.from}_${period.to}.${format}`;
    const { exportOperators: operators } = config.supervisor;
    const headers = workbookHeaders(adminWords(request.language === 'ru' ? 'ru' : 'en'));
    return exportToFolder({ dataDir, format, ...bounds, windowId: period.windowId, operators, headers }, folder.path, name);
  }

  getSettings(token: string): { settings: Settings; audit: AuditEntry[] } {
    this.access.check(token);
    return { settings: settingsOf(this.deps.config.get()), audit: this.deps.storage.audit.newest() };
  }

  /** Validated by the config schema, written to the config file, audited, then applied. */
  async changeSettings(token: string, change: SettingsChange): Promise<ChangeReply> {
    const caller = this.access.check(token);
    const { storage, config, log } = this.deps;
    const changed = changeSettings(this.deps.configFile, config.get(), change);
    const { made } = changed;
    if (!made) return changed.reply.applied ? { ...changed.reply, audit: storage.audit.newest() } : changed.reply;
    const atMs = Math.round(this.deps.clock.wallMs());
    try {
      await storage.audit.append(made.audit.map((entry) => ({ ...entry, atMs, by: caller.who })));
    } catch (error) {
      made.undo(); // a change the log does not show is not made: the file goes back as it was
      throw error;
    }
    config.set(made.config);
    for (const entry of made.audit)
      log.info({ what: entry.what, from: entry.from, to: entry.to, by: caller.who }, 'settings changed');
    await this.deps.applied(made.config);
    return { applied: true, settings: settingsOf(made.config), audit: storage.audit.newest() };
  }

  /** Ends every PIN session (the console is closing). */
  close(): void {
    this.access.closeAll();
  }
}
