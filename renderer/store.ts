import { v7 as uuidv7 } from 'uuid';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createFlow, type Flow, type FlowInput, type FlowState } from '../shared/flow.js';
import type { ConsoleSetup, PultApi } from '../shared/contract.js';
import type { Result } from '../shared/result.js';

/** How long a save may take before the applicant is told it did not work and may tap again. */
export const SAVE_TIMEOUT_MS = 8_000;

export interface ConsoleStoreState {
  phase: 'loading' | 'ready' | 'unavailable';
  setup: ConsoleSetup | null;
  flow: FlowState | null;
  /** An answer is on its way to disk; further presses wait for it (the screen says so if it lasts). */
  saving: boolean;
  /** When the save under way started (wall clock), for «Сохраняем…» if it takes long. */
  savingSinceMs: number | null;
  /** The last answer could not be stored: the screen stays, the applicant is asked to tap again. */
  saveFailed: boolean;
  init(): Promise<void>;
  /** From when a press on this screen counts (before, its buttons take no touch). */
  settlesAtMs(flow: FlowState): number;
  dispatch(input: FlowInput): Promise<void>;
}

export type ConsoleStore = StoreApi<ConsoleStoreState>;

const timedOut = (method: string): Result<never> => ({
  ok: false,
  error: { code: 'unavailable', message: `${method}: no answer within ${SAVE_TIMEOUT_MS} ms` },
});

/** Resolves with the call's result, or with a typed `unavailable` error once `ms` have passed. */
function withTimeout<T>(call: Promise<Result<T>>, ms: number, method: string): Promise<Result<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Result<T>>((resolve) => (timer = setTimeout(() => resolve(timedOut(method)), ms)));
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The applicant console's state: the shared flow machine plus "is it saved yet". Nothing here
 * depends on secure-context-only browser APIs: the console is also opened over plain HTTP on the
 * office LAN, where `crypto.randomUUID` does not exist (uuid uses `getRandomValues`, which does).
 */
export function createConsoleStore(api: PultApi, now: () => number = Date.now): ConsoleStore {
  let machine: Flow | null = null;
  /** When the last save failed: its message goes with the idle reset, not before. */
  let failedAtMs: number | null = null;

  return createStore<ConsoleStoreState>()((set, get) => {
    /** Stores the answer, then shows `next` — unless time (the idle reset) moved the screen meanwhile. */
    const save = async (record: Parameters<PultApi['recordAnswer']>[0], from: FlowState, next: FlowState) => {
      set({ saving: true, savingSinceMs: Date.now() });
      let result: Result<unknown>;
      try {
        result = await withTimeout(api.recordAnswer(record), SAVE_TIMEOUT_MS, 'recordAnswer');
      } catch (error) {
        result = { ok: false, error: { code: 'internal', message: String(error) } };
      }
      const moved = get().flow !== from;
      failedAtMs = result.ok ? null : now();
      // Only a stored answer moves the screen on: nothing is shown as saved that is not on disk.
      if (result.ok) set({ saving: false, savingSinceMs: null, saveFailed: false, ...(moved ? {} : { flow: next }) });
      // A save that timed out may still land: the retry keeps its response id, so the core stores
      // the question of that response once (the retry gets the first answer back).
      else if (moved || record.flags?.length || from.screen.kind !== 'question')
        set({ saving: false, savingSinceMs: null, saveFailed: true });
      else set({ saving: false, savingSinceMs: null, saveFailed: true, flow: { ...from, responseId: record.responseId } });
    };

    /** Stores a press that moves nothing; a failure is still shown. */
    const keepEvidence = async (record: Parameters<PultApi['recordAnswer']>[0]) => {
      const result = await withTimeout(api.recordAnswer(record), SAVE_TIMEOUT_MS, 'recordAnswer').catch(() =>
        timedOut('recordAnswer'),
      );
      if (!result.ok) {
        failedAtMs = now();
        set({ saveFailed: true });
      }
    };

    return {
      phase: 'loading',
      setup: null,
      flow: null,
      saving: false,
      savingSinceMs: null,
      saveFailed: false,

      settlesAtMs: (flow) => machine?.settlesAtMs(flow) ?? 0,

      async init() {
        const result = await withTimeout(api.getConsole({}), SAVE_TIMEOUT_MS, 'getConsole').catch(() => timedOut('getConsole'));
        if (!result.ok) {
          set({ phase: 'unavailable' });
          return;
        }
        machine = createFlow(result.value, () => uuidv7());
        set({ phase: 'ready', setup: result.value, flow: machine.initial(now()) });
      },

      async dispatch(input) {
        const { flow, saving } = get();
        if (!machine || !flow) return;
        let transition: ReturnType<Flow['step']>;
        try {
          transition = machine.step(flow, input, now());
        } catch {
          set({ saveFailed: true });
          return;
        }
        const { state, record } = transition;
        // Misuse (a press on «Спасибо!» inside the guard) changes no screen: kept as evidence at once,
        // even while another save is under way — a child pressing ten times leaves ten rows.
        if (record?.flags?.includes('misuse')) return keepEvidence(record);
        // Time keeps passing while a save is under way (the idle reset must work); answers wait.
        if (saving && input.type !== 'tick') return;
        if (input.type === 'tick' && failedAtMs !== null && now() - failedAtMs >= get().setup!.timeouts.idleMs) {
          failedAtMs = null;
          set({ saveFailed: false });
        }
        if (!record) {
          // A new screen (e.g. the idle reset) clears a failure message that belonged to the last one.
          if (state !== flow) set({ flow: state, saveFailed: get().saveFailed && state.shownAtMs === flow.shownAtMs });
          return;
        }
        await save(record, flow, state);
      },
    };
  });
}
